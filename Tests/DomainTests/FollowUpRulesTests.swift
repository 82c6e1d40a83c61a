import Domain
import Testing

@Suite struct FollowUpRulesTests {
    static let cora = Principal.coordinator("cbo-one")

    /// A world with a case of cbo-one and a follow-up on it assigned to cbo-one, brought to `status`.
    static func withFollowUp(_ status: String) throws -> (World, String) {
        var world = try World.standard()
        let caseID = try world.run("CASE OPEN TITLE t", as: cora)
        let id = try world.run("FOLLOWUP SCHEDULE ABOUT case-\(caseID) DUE_ON 2025-04-01 NOTE 'call back'", as: cora)
        switch status {
        case "blocked": try world.run("FOLLOWUP BLOCK \(id) REASON 'waiting on procurement'", as: cora)
        case "completed": try world.run("FOLLOWUP COMPLETE \(id) OUTCOME 'residents briefed'", as: cora)
        case "cancelled": try world.run("FOLLOWUP CANCEL \(id)", as: cora)
        default: break
        }
        return (world, id)
    }

    static let transitions: [(String, String, DomainError?)] = [
        ("scheduled", "BLOCK # REASON 'waiting on procurement'", nil),
        ("scheduled", "COMPLETE # OUTCOME done", nil),
        ("scheduled", "CANCEL # REASON 'no longer needed'", nil),
        ("blocked", "BLOCK # REASON 'waiting on legal review'", nil),
        (
            "blocked", "BLOCK # REASON 'waiting on procurement'",
            .invalid("reason", "the follow-up is already blocked for this reason")
        ),
        ("blocked", "COMPLETE # OUTCOME done COMPLETED_ON 2025-03-14", nil),
        ("blocked", "CANCEL #", nil),
        ("completed", "BLOCK # REASON r", .invalid("status", "a completed follow-up cannot be blocked")),
        ("completed", "COMPLETE # OUTCOME again", .invalid("status", "the follow-up is already completed")),
        ("completed", "CANCEL #", .invalid("status", "a completed follow-up cannot be cancelled")),
        ("cancelled", "BLOCK # REASON r", .invalid("status", "a cancelled follow-up cannot be blocked")),
        ("cancelled", "COMPLETE # OUTCOME o", .invalid("status", "a cancelled follow-up cannot be completed")),
        ("cancelled", "CANCEL #", .invalid("status", "the follow-up is already cancelled")),
    ]

    @Test(arguments: transitions)
    func lifecycle(status: String, command: String, expected: DomainError?) throws {
        var (world, id) = try Self.withFollowUp(status)
        let line = "FOLLOWUP " + command.replacingOccurrences(of: "#", with: id)
        if let expected {
            #expect(world.refusal(line, as: Self.cora) == expected)
        } else {
            #expect(try world.run(World.words(line), as: Self.cora).events.count == 1)
        }
    }

    @Test func snapshotsFollowTheLifecycle() throws {
        var (world, id) = try Self.withFollowUp("blocked")
        #expect(try world.snapshot("followup", id)["blocked_reason"] == .text("waiting on procurement"))
        try world.run("FOLLOWUP COMPLETE \(id) OUTCOME 'residents briefed' COMPLETED_ON 2025-03-12", as: Self.cora)
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
        let schedule = "FOLLOWUP SCHEDULE DUE_ON 2025-04-01 ABOUT followup-\(id)"
        #expect(
            world.refusal(schedule, as: Self.cora)
                == .invalid(
                    "about",
                    "must name a case, commitment or activity as case-<uuid>, commitment-<uuid> or activity-<uuid>"
                )
        )
        let cases: [(String, Principal, DomainError)] = [
            (
                "FOLLOWUP SCHEDULE ABOUT commitment-\(missing) DUE_ON 2025-04-01", Self.cora,
                .notFound("about", "commitment-\(missing) does not exist")
            ),
            (
                "FOLLOWUP SCHEDULE ABOUT commitment-\(missing) DUE_ON 2025-04-01 ASSIGNEE cbo-two", Self.cora,
                .noPermission("assignee_org", "a coordinator acts only for their own organization (cbo-one)")
            ),
            (
                "FOLLOWUP SCHEDULE ABOUT commitment-\(missing) DUE_ON 2025-04-01 ASSIGNEE_ORG cbo-old", .admin,
                .invalid("assignee_org", "organization cbo-old is retired and takes no new follow-ups")
            ),
            (
                "FOLLOWUP COMPLETE \(id) OUTCOME o COMPLETED_ON 2025-03-15", Self.cora,
                .invalid("completed_on", "must not be in the future (today is 2025-03-14)")
            ),
            (
                "FOLLOWUP BLOCK \(id) REASON r", .coordinator("cpd"),
                .noPermission("assignee_org", "a coordinator acts only for their own organization (cpd)")
            ),
            ("FOLLOWUP CANCEL \(missing)", .admin, .notFound("followup", "\(missing) does not exist")),
        ]
        for (line, actor, expected) in cases {
            #expect(world.refusal(line, as: actor) == expected, "\(line)")
        }
    }
}
