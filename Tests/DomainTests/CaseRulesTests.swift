import Domain
import Testing

@Suite struct CaseRulesTests {
    /// A world with an open case led by cbo-one; returns its id.
    static func withCase() throws -> (World, String) {
        var world = try World.standard()
        let id = try world.run(as: .coordinator("cbo-one")) {
            try CaseCommand.open(
                id: $0.newID,
                title: "Behavioral-health calls in Austin",
                communityAreas: [try CommunityArea(parsing: "25")],
                themes: ["behavioral-health"],
                actor: $0.actor
            )
        }
        return (world, id)
    }

    @Test func openNoteReassignCloseReopen() throws {
        var (world, id) = try Self.withCase()
        let cora = Principal.coordinator("cbo-one")
        try world.run(as: cora) { try CaseCommand.note(id: id, note: "met with the district council", actor: $0.actor) }
        try world.run(as: cora) { try CaseCommand.close(id: id, resolution: "pilot funded", actor: $0.actor) }
        try world.run(as: cora) { try CaseCommand.reopen(id: id, reason: "funding withdrawn", actor: $0.actor) }
        try world.run(as: cora) {
            try CaseCommand.reassign(id: id, leadOrg: "cpd", reason: "CPD leads the pilot", actor: $0.actor)
        }
        #expect(
            world.types("case-\(id)") == [
                "CaseOpened", "CaseNoteAdded", "CaseClosed", "CaseReopened", "CaseReassigned",
            ]
        )
        let snapshot = try world.snapshot("case", id)
        #expect(snapshot["status"] == .text("open"))
        #expect(snapshot["lead_org"] == .text("cpd"))
        #expect(snapshot["resolution"] == .null)
        #expect(snapshot["community_areas"] == .list([.text("25 Austin")]))
        #expect(snapshot["notes"] == .list([.text("met with the district council")]))
        // The former lead no longer acts on the case; the new one does.
        #expect(
            world.refusal(as: cora) { try CaseCommand.note(id: id, note: "x", actor: $0.actor) }
                == .noPermission("lead_org", "a coordinator acts only for their own organization (cbo-one)")
        )
        try world.run(as: .coordinator("cpd")) { try CaseCommand.note(id: id, note: "x", actor: $0.actor) }
    }

    @Test func refusals() throws {
        var (world, id) = try Self.withCase()
        let cora = Principal.coordinator("cbo-one")
        #expect(
            world.refusal(as: cora) { try CaseCommand.open(id: $0.newID, title: "t", leadOrg: "cpd", actor: $0.actor) }
                == .noPermission("lead_org", "a coordinator acts only for their own organization (cbo-one)")
        )
        #expect(
            world.refusal { try CaseCommand.open(id: $0.newID, title: "t", leadOrg: "cbo-old", actor: $0.actor) }
                == .invalid("lead_org", "organization cbo-old is retired and takes no new cases")
        )
        #expect(
            world.refusal { try CaseCommand.open(id: $0.newID, title: "t", leadOrg: "nobody", actor: $0.actor) }
                == .notFound("lead_org", "organization nobody does not exist")
        )
        #expect(
            world.refusal {
                try CaseCommand.open(
                    id: $0.newID,
                    title: "t",
                    leadOrg: "cpd",
                    themes: ["trust", "gardening"],
                    actor: $0.actor
                )
            } == .invalid("themes", "'gardening' is not in the theme vocabulary; see THEME LIST")
        )
        #expect(
            world.refusal(as: cora) { try CaseCommand.reopen(id: id, actor: $0.actor) }
                == .invalid("status", "an open case cannot be reopened")
        )
        #expect(
            world.refusal(as: cora) { try CaseCommand.reassign(id: id, leadOrg: "cbo-one", actor: $0.actor) }
                == .invalid("lead_org", "cbo-one already leads the case")
        )
        #expect(
            world.refusal(as: cora) { try CaseCommand.reassign(id: id, leadOrg: "cbo-old", actor: $0.actor) }
                == .invalid("lead_org", "organization cbo-old is retired and takes no new cases")
        )
        #expect(
            world.refusal(as: .auditor) { try CaseCommand.note(id: id, note: "x", actor: $0.actor) }
                == .noPermission("role", "auditor users read; only admins and coordinators record changes")
        )
        let missing = "0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21"
        #expect(
            world.refusal { try CaseCommand.close(id: missing, resolution: "r", actor: $0.actor) }
                == .notFound("case", "\(missing) does not exist")
        )
        try world.run(as: cora) { try CaseCommand.close(id: id, resolution: "done", actor: $0.actor) }
        #expect(
            world.refusal(as: cora) { try CaseCommand.close(id: id, resolution: "again", actor: $0.actor) }
                == .invalid("status", "the case is already closed")
        )
        #expect(
            world.refusal(as: cora) { try CaseCommand.note(id: id, note: "x", actor: $0.actor) }
                == .invalid("status", "a closed case takes no notes; reopen it first")
        )
        #expect(
            world.refusal(as: cora) { try CaseCommand.reassign(id: id, leadOrg: "cpd", actor: $0.actor) }
                == .invalid("status", "a closed case cannot be reassigned; reopen it first")
        )
    }

    @Test func aRetriedOpenWithTheSameIDAppendsNothingAndADifferentOneConflicts() throws {
        var world = try World.standard()
        let id = "0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21"
        let open: World.Build = { try CaseCommand.open(id: id, title: "t", leadOrg: "cpd", actor: $0.actor) }
        #expect(try world.apply(open).events.count == 1)
        #expect(try world.apply(open).events.isEmpty)
        #expect(
            world.refusal { try CaseCommand.open(id: id, title: "other", leadOrg: "cpd", actor: $0.actor) }
                == .conflict("case", "\(id) already exists")
        )
        #expect(world.types("case-\(id)") == ["CaseOpened"])
    }
}
