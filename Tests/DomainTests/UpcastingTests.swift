import Domain
import Testing

@Suite struct UpcastingTests {
    static let schemaOneCommitment = EventPayload(
        type: "CommitmentMade",
        data: #"{"case_id":"0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21","due":"2025-01-15","made_on":"2024-11-12","#
            + #""made_to":"residents at the Austin session","owner_org":"cbo-one","schema":1,"text":"Share the survey results"}"#
    )

    @Test func aSchemaOneCommitmentReadsBackAsTheCurrentShape() throws {
        guard case .made(let made) = try CommitmentEvent(Self.schemaOneCommitment) else {
            Issue.record("not a CommitmentMade")
            return
        }
        #expect(made.dueOn.description == "2025-01-15")
        #expect(made.madeOn.description == "2024-11-12")
        #expect(made.ownerOrg == "cbo-one")
        #expect(made.madeTo == "residents at the Austin session")
        #expect(made.caseID == "0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21")
        #expect(made.source == nil)
        // Written again, it takes the current schema.
        #expect(
            CommitmentEvent.made(made).payload.data
                == #"{"case_id":"0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21","due_on":"2025-01-15","made_on":"2024-11-12","#
                + #""made_to":"residents at the Austin session","owner_org":"cbo-one","schema":2,"text":"Share the survey results"}"#
        )
    }

    @Test func aStreamThatBeganInSchemaOneFoldsAndTakesNewCommands() throws {
        var world = try World.standard()
        let id = "1b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21"
        world.streams["commitment-\(id)"] = [Self.schemaOneCommitment]
        try world.run(as: .coordinator("cbo-one")) {
            try CommitmentCommand.redate(id: id, dueOn: .on("2025-02-01"), reason: "holiday closures", actor: $0.actor)
        }
        #expect(
            world.refusal {
                try CommitmentCommand.redate(id: id, dueOn: .on("2024-11-11"), reason: "r", actor: $0.actor)
            } == .invalid("due_on", "must not be before made_on")
        )
        let snapshot = try world.snapshot("commitment", id)
        #expect(snapshot["due_on"] == .text("2025-02-01"))
        #expect(snapshot["made_on"] == .text("2024-11-12"))
        #expect(snapshot["source"] == .null)
    }

    @Test func aSchemaOneActivityWithOneThemeReadsBackWithAThemeList() throws {
        let base =
            #""attendance":12,"kind":"focus-group","languages":["es"],"occurred_on":"2024-11-20","org":"cbo-one""#
        let tagged = EventPayload(type: "ActivityLogged", data: "{\(base),\"schema\":1,\"theme\":\"youth\"}")
        let untagged = EventPayload(type: "ActivityLogged", data: "{\(base)}")
        guard case .logged(let one) = try ActivityEvent(tagged), case .logged(let none) = try ActivityEvent(untagged)
        else {
            Issue.record("not ActivityLogged")
            return
        }
        #expect(one.themes == ["youth"])
        #expect(none.themes == [], "data without a schema key is schema 1")
        #expect(one.attendance == 12)
        #expect(one.languages == ["es"])
        #expect(ActivityEvent.logged(one).payload.data == "{\(base),\"schema\":2,\"themes\":[\"youth\"]}")
        let snapshot = try DomainState.snapshot(kind: "activity", id: "a", history: [tagged])
        #expect(snapshot["themes"] == .list([.text("youth")]))
    }

    @Test func unreadableAndNewerDataIsRefusedNamingTheType() {
        #expect(throws: DomainError.invalid("data", "CommitmentMade schema 3 is not one this version reads (1-2)")) {
            try CommitmentEvent(EventPayload(type: "CommitmentMade", data: #"{"schema":3}"#))
        }
        #expect(throws: DomainError.invalid("data", "CommitmentMade data is not readable")) {
            try CommitmentEvent(EventPayload(type: "CommitmentMade", data: #"{"schema":2,"text":"only"}"#))
        }
        #expect(throws: DomainError.invalid("data", "CaseClosed data is not readable")) {
            try CaseEvent(EventPayload(type: "CaseClosed", data: "not json"))
        }
        #expect(throws: DomainError.invalid("type", "CaseClosed is not a commitment event")) {
            try CommitmentEvent(EventPayload(type: "CaseClosed", data: "{}"))
        }
        #expect(throws: DomainError.invalid("data", "ActivityLogged data is not readable")) {
            try ActivityEvent(
                EventPayload(
                    type: "ActivityLogged",
                    data:
                        #"{"attendance":1,"kind":"survey","languages":[],"occurred_on":"2025-02-30","org":"x","schema":2,"themes":[]}"#
                )
            )
        }
    }

    @Test func domainEventsAreReadByTypeAndOtherEventsAreLeftAlone() throws {
        #expect(try DomainEvent(EventPayload(type: "UserAdded", data: #"{"role":"admin"}"#)) == nil)
        let event = try #require(try DomainEvent(Self.schemaOneCommitment))
        guard case .commitment(.made) = event else {
            Issue.record("not a commitment")
            return
        }
        #expect(event.payload.data.contains(#""schema":2"#))
    }
}
