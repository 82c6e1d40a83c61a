import Domain
import Testing

@Suite struct SnapshotTests {
    @Test func anEmptyHistoryIsNotFoundAndUnknownKindsAreInvalid() {
        #expect(throws: DomainError.notFound("commitment", "x does not exist")) {
            try DomainState.snapshot(kind: "commitment", id: "x", history: [])
        }
        #expect(throws: DomainError.notFound("org", "cpd does not exist")) {
            try DomainState.snapshot(kind: "ORGANIZATION", id: "cpd", history: [])
        }
        #expect(throws: DomainError.invalid("kind", "must be one of org, case, activity, commitment, followup")) {
            try DomainState.snapshot(kind: "user", id: "ada", history: [])
        }
        #expect(DomainState.stream(kind: "follow-up", id: "x") == "followup-x")
        #expect(DomainState.stream(kind: "user", id: "x") == nil)
    }

    @Test func everyKindShowsIdAndStatusFirst() throws {
        var world = try World.standard()
        let cora = Principal.coordinator("cbo-one")
        let caseID = try world.run("CASE OPEN TITLE t", as: cora)
        let entities = [
            ("org", "cpd"),
            ("case", caseID),
            ("activity", try world.run("ACTIVITY LOG KIND other ATTENDANCE 0", as: cora)),
            ("commitment", try world.run("COMMITMENT MAKE TEXT t MADE_TO r DUE_ON 2025-04-01", as: cora)),
            ("followup", try world.run("FOLLOWUP SCHEDULE ABOUT case-\(caseID) DUE 2025-04-01", as: cora)),
        ]
        for (kind, id) in entities {
            let snapshot = try world.snapshot(kind, id)
            #expect(snapshot.fields.prefix(2).map(\.0) == ["id", "status"], "\(kind)")
            #expect(snapshot["id"] == .text(id))
            #expect(snapshot.description.hasPrefix("id=\(id) status="))
        }
        #expect(try world.snapshot("org", "cpd")["status"] == .text("active"))
        #expect(try world.snapshot("followup", entities[4].1)["status"] == .text("scheduled"))
    }
}
