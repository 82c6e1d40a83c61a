import Domain
import Testing

@Suite struct CommitmentRulesTests {
    static let cora = Principal.coordinator("cbo-one")

    /// A command on the commitment `id`.
    typealias OnCommitment = @Sendable (_ id: String, _ call: World.Call) throws -> DomainCommand

    /// A world with a commitment of cbo-one made on 2025-03-01, due 2025-04-01, brought to `status`.
    static func withCommitment(_ status: String) throws -> (World, String) {
        var world = try World.standard()
        let id = try world.run(as: cora) {
            try CommitmentCommand.make(
                id: $0.newID,
                text: "Publish the call-triage pilot results",
                madeTo: "Austin residents",
                dueOn: .on("2025-04-01"),
                madeOn: .on("2025-03-01"),
                actor: $0.actor
            )
        }
        switch status {
        case "fulfilled":
            try world.run(as: cora) { try CommitmentCommand.fulfil(id: id, evidence: "report posted", actor: $0.actor) }
        case "cancelled":
            try world.run(as: cora) { try CommitmentCommand.cancel(id: id, reason: "pilot stopped", actor: $0.actor) }
        default: break
        }
        return (world, id)
    }

    /// A commitment of cbo-one's coordinator, made today unless `madeOn` is given.
    static func make(
        dueOn: String,
        madeOn: String? = nil,
        ownerOrg: String? = nil,
        caseID: String? = nil,
        source: String? = nil
    ) -> World.Build {
        {
            try CommitmentCommand.make(
                id: $0.newID,
                ownerOrg: ownerOrg,
                text: "t",
                madeTo: "r",
                dueOn: .on(dueOn),
                madeOn: madeOn.map(ISODate.on),
                caseID: caseID,
                source: source,
                actor: $0.actor
            )
        }
    }

    static let progress: OnCommitment = { try CommitmentCommand.progress(id: $0, level: .limited, actor: $1.actor) }
    static let redate: OnCommitment = {
        try CommitmentCommand.redate(id: $0, dueOn: .on("2025-05-01"), reason: "r", actor: $1.actor)
    }
    static let reopen: OnCommitment = { try CommitmentCommand.reopen(id: $0, actor: $1.actor) }

    /// Each command against each state: nil = accepted, else the exact refusal.
    static let transitions: [(String, OnCommitment, DomainError?)] = [
        (
            "open",
            { try CommitmentCommand.progress(id: $0, level: .substantial, note: "draft ready", actor: $1.actor) },
            nil
        ),
        (
            "open",
            {
                try CommitmentCommand.redate(id: $0, dueOn: .on("2025-05-01"), reason: "printer delay", actor: $1.actor)
            },
            nil
        ),
        ("open", { try CommitmentCommand.fulfil(id: $0, evidence: "posted online", actor: $1.actor) }, nil),
        ("open", { try CommitmentCommand.cancel(id: $0, reason: "funding cut", actor: $1.actor) }, nil),
        ("open", reopen, .invalid("status", "an open commitment cannot be reopened")),
        ("fulfilled", progress, .invalid("status", "a fulfilled commitment cannot be progressed; reopen it first")),
        ("fulfilled", redate, .invalid("status", "a fulfilled commitment cannot be redated; reopen it first")),
        (
            "fulfilled", { try CommitmentCommand.fulfil(id: $0, evidence: "again", actor: $1.actor) },
            .invalid("status", "the commitment is already fulfilled")
        ),
        (
            "fulfilled", { try CommitmentCommand.cancel(id: $0, reason: "r", actor: $1.actor) },
            .invalid("status", "a fulfilled commitment cannot be cancelled; reopen it first")
        ),
        ("fulfilled", { try CommitmentCommand.reopen(id: $0, reason: "report withdrawn", actor: $1.actor) }, nil),
        ("cancelled", progress, .invalid("status", "a cancelled commitment cannot be progressed; reopen it first")),
        ("cancelled", redate, .invalid("status", "a cancelled commitment cannot be redated; reopen it first")),
        (
            "cancelled", { try CommitmentCommand.fulfil(id: $0, evidence: "e", actor: $1.actor) },
            .invalid("status", "a cancelled commitment cannot be fulfilled; reopen it first")
        ),
        (
            "cancelled", { try CommitmentCommand.cancel(id: $0, reason: "r", actor: $1.actor) },
            .invalid("status", "the commitment is already cancelled")
        ),
        ("cancelled", reopen, nil),
    ]

    @Test(arguments: transitions)
    func lifecycle(status: String, command: OnCommitment, expected: DomainError?) throws {
        var (world, id) = try Self.withCommitment(status)
        if let expected {
            #expect(world.refusal(as: Self.cora) { try command(id, $0) } == expected)
            #expect(world.refusal(as: .admin) { try command(id, $0) } == expected)
        } else {
            #expect(try world.apply(as: Self.cora) { try command(id, $0) }.events.count == 1)
        }
    }

    @Test func aCancelledCommitmentIsFulfilledAfterReopening() throws {
        var (world, id) = try Self.withCommitment("cancelled")
        #expect(
            world.refusal(as: Self.cora) { try CommitmentCommand.fulfil(id: id, evidence: "e", actor: $0.actor) }?
                .description
                == "INVALID status: a cancelled commitment cannot be fulfilled; reopen it first"
        )
        try world.run(as: Self.cora) { try CommitmentCommand.reopen(id: id, actor: $0.actor) }
        try world.run(as: Self.cora) {
            try CommitmentCommand.fulfil(id: id, evidence: "e", fulfilledOn: .on("2025-03-10"), actor: $0.actor)
        }
        let snapshot = try world.snapshot("commitment", id)
        #expect(snapshot["status"] == .text("fulfilled"))
        #expect(snapshot["fulfilled_on"] == .text("2025-03-10"))
        #expect(snapshot["cancellation_reason"] == .null)
    }

    @Test func levelsMayGoDownAsWellAsUp() throws {
        var (world, id) = try Self.withCommitment("open")
        for level in [CompletionLevel.limited, .substantial, .complete, .limited, .notStarted] {
            try world.run(as: Self.cora) { try CommitmentCommand.progress(id: id, level: level, actor: $0.actor) }
            #expect(try world.snapshot("commitment", id)["level"] == .text(level.rawValue))
        }
    }

    @Test func dateRules() throws {
        var (world, id) = try Self.withCommitment("open")
        let cases: [(String, World.Build, DomainError)] = [
            (
                "made after due", Self.make(dueOn: "2025-03-09", madeOn: "2025-03-10"),
                .invalid("due_on", "must not be before made_on")
            ),
            ("due before today", Self.make(dueOn: "2025-03-13"), .invalid("due_on", "must not be before made_on")),
            (
                "made in the future", Self.make(dueOn: "2025-04-01", madeOn: "2025-03-15"),
                .invalid("made_on", "must not be in the future (today is 2025-03-14)")
            ),
            (
                "redated before made",
                { try CommitmentCommand.redate(id: id, dueOn: .on("2025-02-28"), reason: "r", actor: $0.actor) },
                .invalid("due_on", "must not be before made_on")
            ),
            (
                "redated to the due date",
                { try CommitmentCommand.redate(id: id, dueOn: .on("2025-04-01"), reason: "r", actor: $0.actor) },
                .invalid("due_on", "is already the due date")
            ),
            (
                "fulfilled before made",
                {
                    try CommitmentCommand.fulfil(id: id, evidence: "e", fulfilledOn: .on("2025-02-28"), actor: $0.actor)
                },
                .invalid("fulfilled_on", "must not be before made_on")
            ),
            (
                "fulfilled in the future",
                {
                    try CommitmentCommand.fulfil(id: id, evidence: "e", fulfilledOn: .on("2025-03-15"), actor: $0.actor)
                },
                .invalid("fulfilled_on", "must not be in the future (today is 2025-03-14)")
            ),
        ]
        for (name, command, expected) in cases {
            #expect(world.refusal(as: Self.cora, command) == expected, "\(name)")
        }
        // Due today, made today (the default), and a redate with its reason are fine.
        let today = try world.run(as: Self.cora, Self.make(dueOn: "2025-03-14"))
        #expect(try world.snapshot("commitment", today)["made_on"] == .text("2025-03-14"))
        try world.run(as: Self.cora) {
            try CommitmentCommand.redate(id: id, dueOn: .on("2025-03-01"), reason: "done early", actor: $0.actor)
        }
        #expect(try world.snapshot("commitment", id)["due_on"] == .text("2025-03-01"))
    }

    @Test func organizationsAndReferences() throws {
        var (world, id) = try Self.withCommitment("open")
        let missing = "0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21"
        let due = "2025-04-01"
        let progress: (String) -> World.Build = { id in
            { try CommitmentCommand.progress(id: id, level: .limited, actor: $0.actor) }
        }
        let cases: [(String, World.Build, Principal, DomainError)] = [
            (
                "for another organization", Self.make(dueOn: due, ownerOrg: "cpd"), Self.cora,
                .noPermission("owner_org", "a coordinator acts only for their own organization (cbo-one)")
            ),
            (
                "for a retired organization", Self.make(dueOn: due, ownerOrg: "cbo-old"), .admin,
                .invalid("owner_org", "organization cbo-old is retired and takes no new commitments")
            ),
            (
                "for a missing organization", Self.make(dueOn: due, ownerOrg: "nobody"), .admin,
                .notFound("owner_org", "organization nobody does not exist")
            ),
            (
                "on a missing case", Self.make(dueOn: due, caseID: missing), Self.cora,
                .notFound("case_id", "case-\(missing) does not exist")
            ),
            (
                "from a missing activity", Self.make(dueOn: due, source: "activity-\(missing)"), Self.cora,
                .notFound("source", "activity-\(missing) does not exist")
            ),
            (
                "progressed by another organization", progress(id), .coordinator("cbo-two"),
                .noPermission("owner_org", "a coordinator acts only for their own organization (cbo-two)")
            ),
            (
                "progressed by leadership", progress(id), .leadership,
                .noPermission("role", "leadership users read; only admins and coordinators record changes")
            ),
            (
                "progressed when missing", progress(missing), .admin,
                .notFound("commitment", "\(missing) does not exist")
            ),
        ]
        for (name, command, actor, expected) in cases {
            #expect(world.refusal(as: actor, command) == expected, "\(name)")
        }
        let activity = try world.run(as: Self.cora) {
            try ActivityCommand.log(id: $0.newID, kind: .listeningSession, attendance: 30, actor: $0.actor)
        }
        let caseID = try world.run(as: Self.cora) { try CaseCommand.open(id: $0.newID, title: "t", actor: $0.actor) }
        let made = try world.run(
            as: Self.cora,
            Self.make(dueOn: due, caseID: caseID, source: "ACTIVITY-\(activity.uppercased())")
        )
        #expect(try world.snapshot("commitment", made)["source"] == .text("activity-\(activity)"))
        let paragraph = try world.run(as: Self.cora, Self.make(dueOn: due, source: "consent decree ¶ 45"))
        #expect(try world.snapshot("commitment", paragraph)["source"] == .text("consent decree ¶ 45"))
        // Work already taken on goes on after the organization retires.
        try world.run { try OrganizationCommand.retire(slug: "cbo-one", actor: $0.actor) }
        try world.run(as: Self.cora, progress(id))
        #expect(
            world.refusal(as: Self.cora, Self.make(dueOn: due))
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
