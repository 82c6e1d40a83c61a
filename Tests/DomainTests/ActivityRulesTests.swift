import Domain
import Testing

@Suite struct ActivityRulesTests {
    static let cora = Principal.coordinator("cbo-one")

    @Test func logStoresReferenceDataAsNumberAndNameWithDefaults() throws {
        var world = try World.standard()
        let id = try world.run(
            "ACTIVITY LOG KIND Listening_Session ATTENDANCE 42 AREA 'o hare' DISTRICT 16 LANGUAGES en,es,Polish "
                + "THEMES 'Alternate Response,trust' SUMMARY 'Residents asked for clinicians on mental-health calls'",
            as: Self.cora
        )
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
        let caseID = try world.run("CASE OPEN TITLE t", as: Self.cora)
        let id = try world.run("ACTIVITY LOG KIND survey ATTENDANCE 40 AREA 25 OCCURRED_ON 2025-03-01", as: Self.cora)
        try world.run(
            "ACTIVITY CORRECT \(id) ATTENDANCE 44 AREA Austin KIND survey CASE \(caseID) REASON 'recount of sign-in sheets'",
            as: Self.cora
        )
        #expect(
            world.streams["activity-\(id)"]?.last?.data
                == #"{"attendance":44,"case_id":"\#(caseID)","reason":"recount of sign-in sheets","schema":1}"#
        )
        #expect(
            world.refusal("ACTIVITY CORRECT \(id) ATTENDANCE 44 REASON again", as: Self.cora)
                == .invalid("fields", "the correction changes nothing; every value given is already the activity's")
        )
        try world.run("ACTIVITY CORRECT \(id) THEMES youth LANGUAGES es REASON tagged", as: Self.cora)
        let snapshot = try world.snapshot("activity", id)
        #expect(snapshot["attendance"] == .integer(44))
        #expect(snapshot["themes"] == .list([.text("youth")]))
        #expect(snapshot["corrections"] == .integer(2))
        #expect(snapshot["occurred_on"] == .text("2025-03-01"))
        try world.run("ACTIVITY RETRACT \(id) REASON 'duplicate entry'", as: Self.cora)
        #expect(try world.snapshot("activity", id)["status"] == .text("retracted"))
        #expect(
            world.refusal("ACTIVITY CORRECT \(id) ATTENDANCE 1 REASON r", as: Self.cora)
                == .invalid("status", "a retracted activity cannot be corrected")
        )
        #expect(
            world.refusal("ACTIVITY RETRACT \(id) REASON r", as: Self.cora)
                == .invalid("status", "the activity is already retracted")
        )
    }

    @Test func refusals() throws {
        var world = try World.standard()
        let id = try world.run("ACTIVITY LOG KIND canvass ATTENDANCE 5", as: Self.cora)
        let missing = "0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21"
        let cases: [(String, Principal, DomainError)] = [
            (
                "ACTIVITY LOG ORG cbo-two KIND survey ATTENDANCE 3", Self.cora,
                .noPermission("org", "a coordinator acts only for their own organization (cbo-one)")
            ),
            (
                "ACTIVITY LOG KIND survey ATTENDANCE 3", .coordinator("cbo-old"),
                .invalid("org", "organization cbo-old is retired and takes no new activities")
            ),
            (
                "ACTIVITY LOG KIND survey ATTENDANCE 3 OCCURRED_ON 2025-03-15", Self.cora,
                .invalid("occurred_on", "must not be in the future (today is 2025-03-14)")
            ),
            (
                "ACTIVITY LOG KIND survey ATTENDANCE 3 CASE \(missing)", Self.cora,
                .notFound("case_id", "case-\(missing) does not exist")
            ),
            (
                "ACTIVITY LOG KIND survey ATTENDANCE 3 THEMES potholes", Self.cora,
                .invalid("themes", "'potholes' is not in the theme vocabulary; see THEME LIST")
            ),
            (
                "ACTIVITY CORRECT \(id) OCCURRED_ON 2026-01-01 REASON r", Self.cora,
                .invalid("occurred_on", "must not be in the future (today is 2025-03-14)")
            ),
            (
                "ACTIVITY CORRECT \(id) ATTENDANCE 6 REASON r", .coordinator("cbo-two"),
                .noPermission("org", "a coordinator acts only for their own organization (cbo-two)")
            ),
            ("ACTIVITY RETRACT \(missing) REASON r", .admin, .notFound("activity", "\(missing) does not exist")),
        ]
        for (line, actor, expected) in cases {
            #expect(world.refusal(line, as: actor) == expected, "\(line)")
        }
        // An admin may correct any organization's activity.
        try world.run("ACTIVITY CORRECT \(id) ATTENDANCE 6 REASON recount")
    }
}
