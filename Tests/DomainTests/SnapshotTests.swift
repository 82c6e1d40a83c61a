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
        let caseID = try world.run(as: cora) { try CaseCommand.open(id: $0.newID, title: "t", actor: $0.actor) }
        let activityID = try world.run(as: cora) {
            try ActivityCommand.log(id: $0.newID, kind: .other, attendance: 0, actor: $0.actor)
        }
        let commitmentID = try world.run(as: cora) {
            try CommitmentCommand.make(id: $0.newID, text: "t", madeTo: "r", dueOn: .on("2025-04-01"), actor: $0.actor)
        }
        let followUpID = try world.run(as: cora) {
            try FollowUpCommand.schedule(
                id: $0.newID,
                about: "case-\(caseID)",
                dueOn: .on("2025-04-01"),
                actor: $0.actor
            )
        }
        let entities = [
            ("org", "cpd"),
            ("case", caseID),
            ("activity", activityID),
            ("commitment", commitmentID),
            ("followup", followUpID),
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
