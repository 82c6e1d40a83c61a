import Domain
import Testing

@Suite struct FollowUpRulesTests {
    static let cora = Principal.coordinator("cbo-one")

    /// A command on the follow-up `id`.
    typealias OnFollowUp = @Sendable (_ id: String, _ call: World.Call) throws -> DomainCommand

    /// A world with a case of cbo-one and a follow-up on it assigned to cbo-one, brought to `status`.
    static func withFollowUp(_ status: String) throws -> (World, String) {
        var world = try World.standard()
        let caseID = try world.run(as: cora) { try CaseCommand.open(id: $0.newID, title: "t", actor: $0.actor) }
        let id = try world.run(as: cora) {
            try FollowUpCommand.schedule(
                id: $0.newID,
                about: "case-\(caseID)",
                dueOn: .on("2025-04-01"),
                note: "call back",
                scheduledOn: .on("2025-03-01"),
                actor: $0.actor
            )
        }
        switch status {
        case "blocked":
            try world.run(as: cora) {
                try FollowUpCommand.block(id: id, reason: "waiting on procurement", actor: $0.actor)
            }
        case "completed":
            try world.run(as: cora) {
                try FollowUpCommand.complete(id: id, outcome: "residents briefed", actor: $0.actor)
            }
        case "cancelled": try world.run(as: cora) { try FollowUpCommand.cancel(id: id, actor: $0.actor) }
        default: break
        }
        return (world, id)
    }

    static let block: OnFollowUp = { try FollowUpCommand.block(id: $0, reason: "r", actor: $1.actor) }
    static let cancel: OnFollowUp = { try FollowUpCommand.cancel(id: $0, actor: $1.actor) }

    static let transitions: [(String, OnFollowUp, DomainError?)] = [
        ("scheduled", { try FollowUpCommand.block(id: $0, reason: "waiting on procurement", actor: $1.actor) }, nil),
        ("scheduled", { try FollowUpCommand.complete(id: $0, outcome: "done", actor: $1.actor) }, nil),
        ("scheduled", { try FollowUpCommand.cancel(id: $0, reason: "no longer needed", actor: $1.actor) }, nil),
        ("blocked", { try FollowUpCommand.block(id: $0, reason: "waiting on legal review", actor: $1.actor) }, nil),
        (
            "blocked", { try FollowUpCommand.block(id: $0, reason: "waiting on procurement", actor: $1.actor) },
            .invalid("reason", "the follow-up is already blocked for this reason")
        ),
        (
            "blocked",
            {
                try FollowUpCommand.complete(id: $0, outcome: "done", completedOn: .on("2025-03-14"), actor: $1.actor)
            }, nil
        ),
        ("blocked", cancel, nil),
        ("completed", block, .invalid("status", "a completed follow-up cannot be blocked")),
        (
            "completed", { try FollowUpCommand.complete(id: $0, outcome: "again", actor: $1.actor) },
            .invalid("status", "the follow-up is already completed")
        ),
        ("completed", cancel, .invalid("status", "a completed follow-up cannot be cancelled")),
        ("cancelled", block, .invalid("status", "a cancelled follow-up cannot be blocked")),
        (
            "cancelled", { try FollowUpCommand.complete(id: $0, outcome: "o", actor: $1.actor) },
            .invalid("status", "a cancelled follow-up cannot be completed")
        ),
        ("cancelled", cancel, .invalid("status", "the follow-up is already cancelled")),
    ]

    @Test(arguments: transitions)
    func lifecycle(status: String, command: OnFollowUp, expected: DomainError?) throws {
        var (world, id) = try Self.withFollowUp(status)
        if let expected {
            #expect(world.refusal(as: Self.cora) { try command(id, $0) } == expected)
        } else {
            #expect(try world.apply(as: Self.cora) { try command(id, $0) }.events.count == 1)
        }
    }

    @Test func snapshotsFollowTheLifecycle() throws {
        var (world, id) = try Self.withFollowUp("blocked")
        #expect(try world.snapshot("followup", id)["blocked_reason"] == .text("waiting on procurement"))
        try world.run(as: Self.cora) {
            try FollowUpCommand.complete(
                id: id,
                outcome: "residents briefed",
                completedOn: .on("2025-03-12"),
                actor: $0.actor
            )
        }
        let snapshot = try world.snapshot("followup", id)
        #expect(snapshot["status"] == .text("completed"))
        #expect(snapshot["blocked_reason"] == .null)
        #expect(snapshot["outcome"] == .text("residents briefed"))
        #expect(snapshot["completed_on"] == .text("2025-03-12"))
        #expect(snapshot["about"]?.description.hasPrefix("case-") == true)
        #expect(snapshot["note"] == .text("call back"))
    }

    @Test func refusals() throws {
        var (world, id) = try Self.withFollowUp("scheduled")
        let missing = "0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21"
        let schedule: (String, String?) -> World.Build = { about, assignee in
            {
                try FollowUpCommand.schedule(
                    id: $0.newID,
                    about: about,
                    assigneeOrg: assignee,
                    dueOn: .on("2025-04-01"),
                    actor: $0.actor
                )
            }
        }
        #expect(
            world.refusal(as: Self.cora, schedule("followup-\(id)", nil))
                == .invalid(
                    "about",
                    "must name a case, commitment or activity as case-<uuid>, commitment-<uuid> or activity-<uuid>"
                )
        )
        let cases: [(String, World.Build, Principal, DomainError)] = [
            (
                "about a missing commitment", schedule("commitment-\(missing)", nil), Self.cora,
                .notFound("about", "commitment-\(missing) does not exist")
            ),
            (
                "for another organization", schedule("commitment-\(missing)", "cbo-two"), Self.cora,
                .noPermission("assignee_org", "a coordinator acts only for their own organization (cbo-one)")
            ),
            (
                "for a retired organization", schedule("commitment-\(missing)", "cbo-old"), .admin,
                .invalid("assignee_org", "organization cbo-old is retired and takes no new follow-ups")
            ),
            (
                "completed in the future",
                { try FollowUpCommand.complete(id: id, outcome: "o", completedOn: .on("2025-03-15"), actor: $0.actor) },
                Self.cora, .invalid("completed_on", "must not be in the future (today is 2025-03-14)")
            ),
            (
                "blocked by another organization", { try FollowUpCommand.block(id: id, reason: "r", actor: $0.actor) },
                .coordinator("cpd"),
                .noPermission("assignee_org", "a coordinator acts only for their own organization (cpd)")
            ),
            (
                "cancelled when missing", { try FollowUpCommand.cancel(id: missing, actor: $0.actor) }, .admin,
                .notFound("followup", "\(missing) does not exist")
            ),
        ]
        for (name, command, actor, expected) in cases {
            #expect(world.refusal(as: actor, command) == expected, "\(name)")
        }
    }
}
