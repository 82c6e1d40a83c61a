import Domain
import ReadModels
import Testing

@Suite struct CommitmentRowTests {
    static func origin(_ position: Int64, on day: String) throws -> EventOrigin {
        EventOrigin(
            position: position,
            eventID: "e\(position)",
            stream: "commitment-c1",
            recordedOn: try ISODate(parsing: day)
        )
    }

    static func fold(_ events: [(CommitmentEvent, String)]) throws -> CommitmentRow? {
        var row: CommitmentRow?
        for (index, (event, day)) in events.enumerated() {
            row = CommitmentRow.applying(.commitment(event), to: row, origin: try origin(Int64(index + 1), on: day))
        }
        return row
    }

    @Test func theBoardFollowsACommitmentThroughItsLife() throws {
        let made = try CommitmentEvent(
            EventPayload(
                type: "CommitmentMade",
                data:
                    #"{"schema":2,"owner_org":"cbo-1","text":"t","made_to":"r","made_on":"2025-01-10","due_on":"2025-03-01"}"#
            )
        )
        let progressed = try CommitmentEvent(
            EventPayload(
                type: "CommitmentProgressed",
                data: #"{"schema":1,"level":"substantial","note":"halfway"}"#,
                recordedOn: try ISODate(parsing: "2025-02-01")
            )
        )
        let lower = try CommitmentEvent(
            EventPayload(
                type: "CommitmentProgressed",
                data: #"{"schema":1,"level":"limited"}"#,
                recordedOn: try ISODate(parsing: "2025-02-10")
            )
        )
        let redated = try CommitmentEvent(
            EventPayload(
                type: "CommitmentDueDateChanged",
                data: #"{"schema":1,"due_on":"2025-04-01","reason":"r"}"#,
                recordedOn: try ISODate(parsing: "2025-02-20")
            )
        )
        let fulfilled = try CommitmentEvent(
            EventPayload(
                type: "CommitmentFulfilled",
                data: #"{"schema":1,"evidence":"posted","fulfilled_on":"2025-03-20"}"#
            )
        )
        let open = try #require(try Self.fold([(made, "2025-01-10"), (progressed, "2025-02-01")]))
        #expect(open.status == "open" && open.level == "substantial" && open.lastProgressNote == "halfway")
        #expect(open.lastProgressOn == (try ISODate(parsing: "2025-02-01")))
        #expect(open.isOverdue(on: try ISODate(parsing: "2025-03-02")))
        #expect(!open.isOverdue(on: try ISODate(parsing: "2025-03-01")))

        let row = try #require(
            try Self.fold([
                (made, "2025-01-10"), (progressed, "2025-02-01"), (lower, "2025-02-10"), (redated, "2025-02-20"),
                (fulfilled, "2025-03-20"),
            ])
        )
        #expect(row.level == "limited", "levels may go down")
        #expect(row.dueOn == (try ISODate(parsing: "2025-04-01")) && row.dueDateChanges == 1)
        let later = try ISODate(parsing: "2026-01-01")
        #expect(row.status == "fulfilled" && !row.isOverdue(on: later))
    }

    @Test func eventsOfOtherEntitiesAreIgnored() throws {
        let theme = try #require(try DomainEvent(EventPayload(type: "ThemeAdded", data: #"{"schema":1,"theme":"x"}"#)))
        #expect(CommitmentRow.key(of: theme, origin: try Self.origin(1, on: "2025-01-01")) == nil)
    }
}
