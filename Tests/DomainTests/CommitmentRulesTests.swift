import Domain
import Testing

@Suite struct CommitmentRulesTests {
    static let cora = Principal.coordinator("cbo-one")

    /// A world with a commitment of cbo-one made on 2025-03-01, due 2025-04-01, brought to `status`.
    static func withCommitment(_ status: String) throws -> (World, String) {
        var world = try World.standard()
        let id = try world.run(
            "COMMITMENT MAKE TEXT 'Publish the call-triage pilot results' MADE_TO 'Austin residents' MADE_ON 2025-03-01 "
                + "DUE_ON 2025-04-01",
            as: cora
        )
        switch status {
        case "fulfilled": try world.run("COMMITMENT FULFIL \(id) EVIDENCE 'report posted'", as: cora)
        case "cancelled": try world.run("COMMITMENT CANCEL \(id) REASON 'pilot stopped'", as: cora)
        default: break
        }
        return (world, id)
    }

    /// Each command against each state: nil = accepted, else the exact refusal.
    static let transitions: [(String, String, DomainError?)] = [
        ("open", "PROGRESS # LEVEL substantial NOTE 'draft ready'", nil),
        ("open", "REDATE # DUE_ON 2025-05-01 REASON 'printer delay'", nil),
        ("open", "FULFIL # EVIDENCE 'posted online'", nil),
        ("open", "CANCEL # REASON 'funding cut'", nil),
        ("open", "REOPEN #", .invalid("status", "an open commitment cannot be reopened")),
        (
            "fulfilled", "PROGRESS # LEVEL limited",
            .invalid("status", "a fulfilled commitment cannot be progressed; reopen it first")
        ),
        (
            "fulfilled", "REDATE # DUE_ON 2025-05-01 REASON r",
            .invalid("status", "a fulfilled commitment cannot be redated; reopen it first")
        ),
        ("fulfilled", "FULFIL # EVIDENCE again", .invalid("status", "the commitment is already fulfilled")),
        (
            "fulfilled", "CANCEL # REASON r",
            .invalid("status", "a fulfilled commitment cannot be cancelled; reopen it first")
        ),
        ("fulfilled", "REOPEN # REASON 'report withdrawn'", nil),
        (
            "cancelled", "PROGRESS # LEVEL limited",
            .invalid("status", "a cancelled commitment cannot be progressed; reopen it first")
        ),
        (
            "cancelled", "REDATE # DUE_ON 2025-05-01 REASON r",
            .invalid("status", "a cancelled commitment cannot be redated; reopen it first")
        ),
        (
            "cancelled", "FULFIL # EVIDENCE e",
            .invalid("status", "a cancelled commitment cannot be fulfilled; reopen it first")
        ),
        ("cancelled", "CANCEL # REASON r", .invalid("status", "the commitment is already cancelled")),
        ("cancelled", "REOPEN #", nil),
    ]

    @Test(arguments: transitions)
    func lifecycle(status: String, command: String, expected: DomainError?) throws {
        var (world, id) = try Self.withCommitment(status)
        let line = "COMMITMENT " + command.replacingOccurrences(of: "#", with: id)
        if let expected {
            #expect(world.refusal(line, as: Self.cora) == expected)
            #expect(world.refusal(line, as: .admin) == expected)
        } else {
            #expect(try world.run(World.words(line), as: Self.cora).events.count == 1)
        }
    }

    @Test func aCancelledCommitmentIsFulfilledAfterReopening() throws {
        var (world, id) = try Self.withCommitment("cancelled")
        #expect(
            world.refusal("COMMITMENT FULFIL \(id) EVIDENCE e", as: Self.cora)?.description
                == "INVALID status: a cancelled commitment cannot be fulfilled; reopen it first"
        )
        try world.run("COMMITMENT REOPEN \(id)", as: Self.cora)
        try world.run("COMMITMENT FULFIL \(id) EVIDENCE e FULFILLED_ON 2025-03-10", as: Self.cora)
        let snapshot = try world.snapshot("commitment", id)
        #expect(snapshot["status"] == .text("fulfilled"))
        #expect(snapshot["fulfilled_on"] == .text("2025-03-10"))
        #expect(snapshot["cancellation_reason"] == .null)
    }

    @Test func levelsMayGoDownAsWellAsUp() throws {
        var (world, id) = try Self.withCommitment("open")
        for level in ["limited", "substantial", "complete", "limited", "not-started"] {
            try world.run("COMMITMENT PROGRESS \(id) LEVEL \(level)", as: Self.cora)
            #expect(try world.snapshot("commitment", id)["level"] == .text(level))
        }
    }

    @Test func dateRules() throws {
        var (world, id) = try Self.withCommitment("open")
        let make = "COMMITMENT MAKE TEXT t MADE_TO r"
        let cases: [(String, DomainError)] = [
            ("\(make) MADE_ON 2025-03-10 DUE_ON 2025-03-09", .invalid("due_on", "must not be before made_on")),
            ("\(make) DUE_ON 2025-03-13", .invalid("due_on", "must not be before made_on")),
            (
                "\(make) MADE_ON 2025-03-15 DUE_ON 2025-04-01",
                .invalid("made_on", "must not be in the future (today is 2025-03-14)")
            ),
            ("COMMITMENT REDATE \(id) DUE_ON 2025-02-28 REASON r", .invalid("due_on", "must not be before made_on")),
            ("COMMITMENT REDATE \(id) DUE_ON 2025-04-01 REASON r", .invalid("due_on", "is already the due date")),
            (
                "COMMITMENT FULFIL \(id) EVIDENCE e FULFILLED_ON 2025-02-28",
                .invalid("fulfilled_on", "must not be before made_on")
            ),
            (
                "COMMITMENT FULFIL \(id) EVIDENCE e FULFILLED_ON 2025-03-15",
                .invalid("fulfilled_on", "must not be in the future (today is 2025-03-14)")
            ),
        ]
        for (line, expected) in cases {
            #expect(world.refusal(line, as: Self.cora) == expected, "\(line)")
        }
        // Due today, made today (the default), and a redate with its reason are fine.
        let today = try world.run("\(make) DUE_ON 2025-03-14", as: Self.cora)
        #expect(try world.snapshot("commitment", today)["made_on"] == .text("2025-03-14"))
        try world.run("COMMITMENT REDATE \(id) DUE_ON 2025-03-01 REASON 'done early'", as: Self.cora)
        #expect(try world.snapshot("commitment", id)["due_on"] == .text("2025-03-01"))
    }

    @Test func organizationsAndReferences() throws {
        var (world, id) = try Self.withCommitment("open")
        let missing = "0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21"
        let make = "COMMITMENT MAKE TEXT t MADE_TO r DUE_ON 2025-04-01"
        let cases: [(String, Principal, DomainError)] = [
            (
                "\(make) OWNER_ORG cpd", Self.cora,
                .noPermission("owner_org", "a coordinator acts only for their own organization (cbo-one)")
            ),
            (
                "\(make) OWNER_ORG cbo-old", .admin,
                .invalid("owner_org", "organization cbo-old is retired and takes no new commitments")
            ),
            ("\(make) OWNER_ORG nobody", .admin, .notFound("owner_org", "organization nobody does not exist")),
            ("\(make) CASE_ID \(missing)", Self.cora, .notFound("case_id", "case-\(missing) does not exist")),
            (
                "\(make) SOURCE activity-\(missing)", Self.cora,
                .notFound("source", "activity-\(missing) does not exist")
            ),
            (
                "COMMITMENT PROGRESS \(id) LEVEL limited", .coordinator("cbo-two"),
                .noPermission("owner_org", "a coordinator acts only for their own organization (cbo-two)")
            ),
            (
                "COMMITMENT PROGRESS \(id) LEVEL limited", .leadership,
                .noPermission("role", "leadership users read; only admins and coordinators record changes")
            ),
            (
                "COMMITMENT PROGRESS \(missing) LEVEL limited", .admin,
                .notFound("commitment", "\(missing) does not exist")
            ),
        ]
        for (line, actor, expected) in cases {
            #expect(world.refusal(line, as: actor) == expected, "\(line)")
        }
        let activity = try world.run("ACTIVITY LOG KIND listening-session ATTENDANCE 30", as: Self.cora)
        let caseID = try world.run("CASE OPEN TITLE t", as: Self.cora)
        let made = try world.run(
            "\(make) CASE \(caseID) SOURCE ACTIVITY-\(activity.uppercased())",
            as: Self.cora
        )
        #expect(try world.snapshot("commitment", made)["source"] == .text("activity-\(activity)"))
        let paragraph = try world.run("\(make) SOURCE 'consent decree ¶ 45'", as: Self.cora)
        #expect(try world.snapshot("commitment", paragraph)["source"] == .text("consent decree ¶ 45"))
        // Work already taken on goes on after the organization retires.
        try world.run("ORG RETIRE cbo-one")
        try world.run("COMMITMENT PROGRESS \(id) LEVEL limited", as: Self.cora)
        #expect(
            world.refusal(make, as: Self.cora)
                == .invalid("owner_org", "organization cbo-one is retired and takes no new commitments")
        )
    }

    @Test func theStoredShapeOfAMadeCommitment() throws {
        let (world, id) = try Self.withCommitment("open")
        #expect(
            world.streams["commitment-\(id)"]
                == [
                    EventPayload(
                        type: "CommitmentMade",
                        data: #"{"due_on":"2025-04-01","made_on":"2025-03-01","made_to":"Austin residents","#
                            + #""owner_org":"cbo-one","schema":2,"text":"Publish the call-triage pilot results"}"#
                    )
                ]
        )
        #expect(
            try world.snapshot("commitment", id).fields.map(\.0) == [
                "id", "status", "owner_org", "text", "made_to", "made_on", "due_on", "case_id", "source", "level",
                "last_note", "evidence", "fulfilled_on", "cancellation_reason",
            ]
        )
    }
}
