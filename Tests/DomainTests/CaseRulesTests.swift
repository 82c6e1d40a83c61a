import Domain
import Testing

@Suite struct CaseRulesTests {
    /// A world with an open case led by cbo-one; returns its id.
    static func withCase() throws -> (World, String) {
        var world = try World.standard()
        let id = try world.run(
            "CASE OPEN TITLE 'Behavioral-health calls in Austin' AREA 25 THEMES behavioral-health",
            as: .coordinator("cbo-one")
        )
        return (world, id)
    }

    @Test func openNoteReassignCloseReopen() throws {
        var (world, id) = try Self.withCase()
        try world.run("CASE NOTE \(id) NOTE 'met with the district council'", as: .coordinator("cbo-one"))
        try world.run("CASE CLOSE \(id) RESOLUTION 'pilot funded'", as: .coordinator("cbo-one"))
        try world.run("CASE REOPEN \(id) REASON 'funding withdrawn'", as: .coordinator("cbo-one"))
        try world.run("CASE REASSIGN \(id) LEAD_ORG cpd REASON 'CPD leads the pilot'", as: .coordinator("cbo-one"))
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
            world.refusal("CASE NOTE \(id) NOTE x", as: .coordinator("cbo-one"))
                == .noPermission("lead_org", "a coordinator acts only for their own organization (cbo-one)")
        )
        try world.run("CASE NOTE \(id) NOTE x", as: .coordinator("cpd"))
    }

    @Test func refusals() throws {
        var (world, id) = try Self.withCase()
        let cora = Principal.coordinator("cbo-one")
        #expect(
            world.refusal("CASE OPEN TITLE t LEAD_ORG cpd", as: cora)
                == .noPermission("lead_org", "a coordinator acts only for their own organization (cbo-one)")
        )
        #expect(
            world.refusal("CASE OPEN TITLE t LEAD_ORG cbo-old")
                == .invalid("lead_org", "organization cbo-old is retired and takes no new cases")
        )
        #expect(
            world.refusal("CASE OPEN TITLE t LEAD_ORG nobody")
                == .notFound("lead_org", "organization nobody does not exist")
        )
        #expect(
            world.refusal("CASE OPEN TITLE t LEAD_ORG cpd THEMES trust,gardening")
                == .invalid("themes", "'gardening' is not in the theme vocabulary; see THEME LIST")
        )
        #expect(world.refusal("CASE REOPEN \(id)", as: cora) == .invalid("status", "an open case cannot be reopened"))
        #expect(
            world.refusal("CASE REASSIGN \(id) LEAD cbo-one", as: cora)
                == .invalid("lead_org", "cbo-one already leads the case")
        )
        #expect(
            world.refusal("CASE REASSIGN \(id) LEAD cbo-old", as: cora)
                == .invalid("lead_org", "organization cbo-old is retired and takes no new cases")
        )
        #expect(
            world.refusal("CASE NOTE \(id) NOTE x", as: .auditor)
                == .noPermission("role", "auditor users read; only admins and coordinators record changes")
        )
        let missing = "0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21"
        #expect(world.refusal("CASE CLOSE \(missing) RESOLUTION r") == .notFound("case", "\(missing) does not exist"))
        try world.run("CASE CLOSE \(id) RESOLUTION done", as: cora)
        #expect(
            world.refusal("CASE CLOSE \(id) RESOLUTION again", as: cora)
                == .invalid("status", "the case is already closed")
        )
        #expect(
            world.refusal("CASE NOTE \(id) NOTE x", as: cora)
                == .invalid("status", "a closed case takes no notes; reopen it first")
        )
        #expect(
            world.refusal("CASE REASSIGN \(id) LEAD cpd", as: cora)
                == .invalid("status", "a closed case cannot be reassigned; reopen it first")
        )
    }

    @Test func aRetriedOpenWithTheSameIDAppendsNothingAndADifferentOneConflicts() throws {
        var world = try World.standard()
        let id = "0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21"
        let line = "CASE OPEN ID \(id) TITLE t LEAD_ORG cpd"
        #expect(try world.run(World.words(line)).events.count == 1)
        #expect(try world.run(World.words(line)).events.isEmpty)
        #expect(
            world.refusal("CASE OPEN ID \(id) TITLE other LEAD_ORG cpd") == .conflict("case", "\(id) already exists")
        )
        #expect(world.types("case-\(id)") == ["CaseOpened"])
    }
}
