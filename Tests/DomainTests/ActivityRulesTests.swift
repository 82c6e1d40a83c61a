import Domain
import Testing

@Suite struct ActivityRulesTests {
    static let cora = Principal.coordinator("cbo-one")

    @Test func logStoresReferenceDataAsNumberAndNameWithDefaults() throws {
        var world = try World.standard()
        let id = try world.run(as: Self.cora) {
            try ActivityCommand.log(
                id: $0.newID,
                kind: try ActivityKind(parsing: "Listening_Session"),
                attendance: 42,
                communityArea: try CommunityArea(parsing: "o hare"),
                policeDistrict: try PoliceDistrict(parsing: "16"),
                languages: ["en", "es", "Polish"],
                themes: ["Alternate Response", "trust"],
                summary: "Residents asked for clinicians on mental-health calls",
                actor: $0.actor
            )
        }
        let data = try #require(world.streams["activity-\(id)"]?.first?.data)
        #expect(
            data
                == #"{"attendance":42,"community_area":{"name":"O'Hare","number":76},"kind":"listening-session","#
                + #""languages":["en","es","pl"],"occurred_on":"2025-03-14","org":"cbo-one","#
                + #""police_district":{"name":"Jefferson Park","number":16},"schema":2,"#
                + #""summary":"Residents asked for clinicians on mental-health calls","themes":["alternate-response","trust"]}"#
        )
        let snapshot = try world.snapshot("activity", id)
        #expect(snapshot["status"] == .text("recorded"))
        #expect(snapshot["community_area"] == .text("76 O'Hare"))
        #expect(snapshot["police_district"] == .text("16 Jefferson Park"))
        #expect(snapshot["attendance"] == .integer(42))
        #expect(snapshot["case_id"] == .null)
    }

    @Test func correctionsRecordOnlyTheChangedFields() throws {
        var world = try World.standard()
        let caseID = try world.run(as: Self.cora) { try CaseCommand.open(id: $0.newID, title: "t", actor: $0.actor) }
        let id = try world.run(as: Self.cora) {
            try ActivityCommand.log(
                id: $0.newID,
                kind: .survey,
                attendance: 40,
                occurredOn: .on("2025-03-01"),
                communityArea: try CommunityArea(parsing: "25"),
                actor: $0.actor
            )
        }
        try world.run(as: Self.cora) {
            try ActivityCommand.correct(
                id: id,
                kind: .survey,
                attendance: 44,
                communityArea: try CommunityArea(parsing: "Austin"),
                caseID: caseID,
                reason: "recount of sign-in sheets",
                actor: $0.actor
            )
        }
        #expect(
            world.streams["activity-\(id)"]?.last?.data
                == #"{"attendance":44,"case_id":"\#(caseID)","reason":"recount of sign-in sheets","schema":1}"#
        )
        #expect(
            world.refusal(as: Self.cora) {
                try ActivityCommand.correct(id: id, attendance: 44, reason: "again", actor: $0.actor)
            } == .invalid("fields", "the correction changes nothing; every value given is already the activity's")
        )
        try world.run(as: Self.cora) {
            try ActivityCommand.correct(id: id, languages: ["es"], themes: ["youth"], reason: "tagged", actor: $0.actor)
        }
        let snapshot = try world.snapshot("activity", id)
        #expect(snapshot["attendance"] == .integer(44))
        #expect(snapshot["themes"] == .list([.text("youth")]))
        #expect(snapshot["corrections"] == .integer(2))
        #expect(snapshot["occurred_on"] == .text("2025-03-01"))
        try world.run(as: Self.cora) { try ActivityCommand.retract(id: id, reason: "duplicate entry", actor: $0.actor) }
        #expect(try world.snapshot("activity", id)["status"] == .text("retracted"))
        #expect(
            world.refusal(as: Self.cora) {
                try ActivityCommand.correct(id: id, attendance: 1, reason: "r", actor: $0.actor)
            }
                == .invalid("status", "a retracted activity cannot be corrected")
        )
        #expect(
            world.refusal(as: Self.cora) { try ActivityCommand.retract(id: id, reason: "r", actor: $0.actor) }
                == .invalid("status", "the activity is already retracted")
        )
    }

    @Test func refusals() throws {
        var world = try World.standard()
        let id = try world.run(as: Self.cora) {
            try ActivityCommand.log(id: $0.newID, kind: .canvass, attendance: 5, actor: $0.actor)
        }
        let missing = "0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21"
        let cases: [(String, World.Build, Principal, DomainError)] = [
            (
                "for another organization",
                {
                    try ActivityCommand.log(id: $0.newID, org: "cbo-two", kind: .survey, attendance: 3, actor: $0.actor)
                },
                Self.cora, .noPermission("org", "a coordinator acts only for their own organization (cbo-one)")
            ),
            (
                "for a retired organization",
                { try ActivityCommand.log(id: $0.newID, kind: .survey, attendance: 3, actor: $0.actor) },
                .coordinator("cbo-old"), .invalid("org", "organization cbo-old is retired and takes no new activities")
            ),
            (
                "in the future",
                {
                    try ActivityCommand.log(
                        id: $0.newID,
                        kind: .survey,
                        attendance: 3,
                        occurredOn: .on("2025-03-15"),
                        actor: $0.actor
                    )
                }, Self.cora, .invalid("occurred_on", "must not be in the future (today is 2025-03-14)")
            ),
            (
                "on a missing case",
                {
                    try ActivityCommand.log(
                        id: $0.newID,
                        kind: .survey,
                        attendance: 3,
                        caseID: missing,
                        actor: $0.actor
                    )
                },
                Self.cora, .notFound("case_id", "case-\(missing) does not exist")
            ),
            (
                "with an unknown theme",
                {
                    try ActivityCommand.log(
                        id: $0.newID,
                        kind: .survey,
                        attendance: 3,
                        themes: ["potholes"],
                        actor: $0.actor
                    )
                }, Self.cora, .invalid("themes", "'potholes' is not in the theme vocabulary; see THEME LIST")
            ),
            (
                "corrected into the future",
                { try ActivityCommand.correct(id: id, occurredOn: .on("2026-01-01"), reason: "r", actor: $0.actor) },
                Self.cora, .invalid("occurred_on", "must not be in the future (today is 2025-03-14)")
            ),
            (
                "corrected by another organization",
                { try ActivityCommand.correct(id: id, attendance: 6, reason: "r", actor: $0.actor) },
                .coordinator("cbo-two"),
                .noPermission("org", "a coordinator acts only for their own organization (cbo-two)")
            ),
            (
                "retracted when missing", { try ActivityCommand.retract(id: missing, reason: "r", actor: $0.actor) },
                .admin,
                .notFound("activity", "\(missing) does not exist")
            ),
        ]
        for (name, command, actor, expected) in cases {
            #expect(world.refusal(as: actor, command) == expected, "\(name)")
        }
        // An admin may correct any organization's activity.
        try world.run { try ActivityCommand.correct(id: id, attendance: 6, reason: "recount", actor: $0.actor) }
    }
}
