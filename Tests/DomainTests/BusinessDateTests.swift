import Domain
import Testing

/// Every event that records something that happened on a day carries that day: given, or today
/// by default; never after today, never before the entity it belongs to.
@Suite struct BusinessDateTests {
    static let cora = Principal.coordinator("cbo-one")

    /// The data of the last event of `stream`.
    static func lastData(_ world: World, _ stream: String) -> String { world.streams[stream]?.last?.data ?? "" }

    @Test func caseEventsCarryTheirDayGivenOrToday() throws {
        var world = try World.standard()
        let id = try world.run(as: Self.cora) {
            try CaseCommand.open(id: $0.newID, title: "t", openedOn: .on("2025-01-06"), actor: $0.actor)
        }
        #expect(Self.lastData(world, "case-\(id)").contains(#""opened_on":"2025-01-06","schema":2"#))
        try world.run(as: Self.cora) {
            try CaseCommand.note(id: id, note: "n", notedOn: .on("2025-01-07"), actor: $0.actor)
        }
        #expect(Self.lastData(world, "case-\(id)") == #"{"note":"n","noted_on":"2025-01-07","schema":2}"#)
        try world.run(as: Self.cora) { try CaseCommand.close(id: id, resolution: "done", actor: $0.actor) }
        #expect(Self.lastData(world, "case-\(id)") == #"{"closed_on":"2025-03-14","resolution":"done","schema":2}"#)
        try world.run(as: Self.cora) {
            try CaseCommand.reopen(id: id, reopenedOn: .on("2025-03-01"), actor: $0.actor)
        }
        #expect(Self.lastData(world, "case-\(id)") == #"{"reopened_on":"2025-03-01","schema":2}"#)
        try world.run(as: Self.cora) {
            try CaseCommand.reassign(id: id, leadOrg: "cpd", reassignedOn: .on("2025-03-02"), actor: $0.actor)
        }
        #expect(Self.lastData(world, "case-\(id)") == #"{"lead_org":"cpd","reassigned_on":"2025-03-02","schema":2}"#)
    }

    @Test func aDayAfterTodayOrBeforeTheEntityIsRefusedNamingTheField() throws {
        var world = try World.standard()
        #expect(
            world.refusal(as: Self.cora) {
                try CaseCommand.open(id: $0.newID, title: "t", openedOn: .on("2025-03-15"), actor: $0.actor)
            } == .invalid("opened_on", "must not be in the future (today is 2025-03-14)")
        )
        let caseID = try world.run(as: Self.cora) {
            try CaseCommand.open(id: $0.newID, title: "t", openedOn: .on("2025-02-01"), actor: $0.actor)
        }
        #expect(
            world.refusal(as: Self.cora) {
                try CaseCommand.close(id: caseID, resolution: "r", closedOn: .on("2025-01-31"), actor: $0.actor)
            } == .invalid("closed_on", "must not be before opened_on (2025-02-01)")
        )
        let commitment = try world.run(as: Self.cora) {
            try CommitmentCommand.make(
                id: $0.newID,
                text: "t",
                madeTo: "r",
                dueOn: .on("2025-03-01"),
                madeOn: .on("2025-02-10"),
                actor: $0.actor
            )
        }
        #expect(
            world.refusal(as: Self.cora) {
                try CommitmentCommand.progress(
                    id: commitment,
                    level: .limited,
                    reportedOn: .on("2025-02-09"),
                    actor: $0.actor
                )
            } == .invalid("reported_on", "must not be before made_on (2025-02-10)")
        )
        #expect(
            world.refusal(as: Self.cora) {
                try CommitmentCommand.cancel(
                    id: commitment,
                    reason: "r",
                    cancelledOn: .on("2025-04-01"),
                    actor: $0.actor
                )
            } == .invalid("cancelled_on", "must not be in the future (today is 2025-03-14)")
        )
        let followUp = try world.run(as: Self.cora) {
            try FollowUpCommand.schedule(
                id: $0.newID,
                about: "case-\(caseID)",
                dueOn: .on("2025-03-20"),
                scheduledOn: .on("2025-02-15"),
                actor: $0.actor
            )
        }
        #expect(
            world.refusal(as: Self.cora) {
                try FollowUpCommand.block(id: followUp, reason: "r", blockedOn: .on("2025-02-14"), actor: $0.actor)
            } == .invalid("blocked_on", "must not be before scheduled_on (2025-02-15)")
        )
        try world.run(as: Self.cora) {
            try CommitmentCommand.progress(
                id: commitment,
                level: .limited,
                reportedOn: .on("2025-02-10"),
                actor: $0.actor
            )
        }
        #expect(
            Self.lastData(world, "commitment-\(commitment)")
                == #"{"level":"limited","reported_on":"2025-02-10","schema":2}"#
        )
    }

    @Test func aSchemaOneEventWithoutItsDayTakesTheDayItWasRecordedOn() throws {
        let recorded = ISODate.on("2024-12-02")
        let old = EventPayload(
            type: "CaseOpened",
            data: #"{"community_areas":[],"lead_org":"cbo-one","themes":[],"title":"t"}"#,
            recordedOn: recorded
        )
        guard case .opened(let opened) = try CaseEvent(old) else {
            Issue.record("not CaseOpened")
            return
        }
        #expect(opened.openedOn == recorded && opened.title == "t" && opened.leadOrg == "cbo-one")
        // Written again, it takes the current schema with its day.
        #expect(
            CaseEvent.opened(opened).payload.data
                == #"{"community_areas":[],"lead_org":"cbo-one","opened_on":"2024-12-02","schema":2,"themes":[],"title":"t"}"#
        )
        let progressed = EventPayload(
            type: "CommitmentProgressed",
            data: #"{"level":"limited","schema":1}"#,
            recordedOn: recorded
        )
        guard case .progressed(let progress) = try CommitmentEvent(progressed) else {
            Issue.record("not CommitmentProgressed")
            return
        }
        #expect(progress.reportedOn == recorded && progress.level == .limited)
        // A day written in the data wins over the day recorded; an event not yet recorded must carry it.
        let dated = EventPayload(
            type: "FollowUpBlocked",
            data: #"{"blocked_on":"2024-11-30","reason":"r","schema":2}"#,
            recordedOn: recorded
        )
        guard case .blocked(let blocked) = try FollowUpEvent(dated) else {
            Issue.record("not FollowUpBlocked")
            return
        }
        #expect(blocked.blockedOn == .on("2024-11-30"))
        #expect(throws: DomainError.invalid("closed_on", "is required")) {
            try CaseEvent(EventPayload(type: "CaseClosed", data: #"{"resolution":"r","schema":1}"#))
        }
        #expect(throws: DomainError.invalid("data.closed_on", "is missing; CaseClosed needs it")) {
            try CaseEvent(
                EventPayload(type: "CaseClosed", data: #"{"resolution":"r","schema":2}"#, recordedOn: recorded)
            )
        }
    }

    @Test func aStreamRecordedBeforeDatesFoldsAndChecksNewDaysAgainstIt() throws {
        var world = try World.standard()
        let id = "2b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21"
        world.streams["case-\(id)"] = [
            EventPayload(
                type: "CaseOpened",
                data: #"{"community_areas":[],"lead_org":"cbo-one","schema":1,"themes":[],"title":"t"}"#,
                recordedOn: .on("2025-03-10")
            )
        ]
        #expect(
            world.refusal(as: Self.cora) {
                try CaseCommand.note(id: id, note: "n", notedOn: .on("2025-03-09"), actor: $0.actor)
            } == .invalid("noted_on", "must not be before opened_on (2025-03-10)")
        )
        try world.run(as: Self.cora) { try CaseCommand.note(id: id, note: "n", actor: $0.actor) }
    }

    @Test func domainEventsTellTheDayTheyRecord() throws {
        let made = try #require(
            try DomainEvent(
                EventPayload(
                    type: "CommitmentMade",
                    data:
                        #"{"due_on":"2025-05-01","made_on":"2025-04-01","made_to":"r","owner_org":"o","schema":2,"text":"t"}"#
                )
            )
        )
        #expect(made.effectiveOn == .on("2025-04-01"))
        let corrected = try #require(
            try DomainEvent(EventPayload(type: "ActivityCorrected", data: #"{"reason":"r","schema":1}"#))
        )
        #expect(corrected.effectiveOn == nil, "a correction fixes the record; it happened on no day of its own")
        let theme = try #require(try DomainEvent(EventPayload(type: "ThemeAdded", data: #"{"schema":1,"theme":"x"}"#)))
        #expect(theme.effectiveOn == nil)
    }
}
