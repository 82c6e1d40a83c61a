import Domain
import ReadModels
import Testing

@Suite struct FollowUpRowTests {
    static func fold(_ events: [(String, String)], stream: String = "followup-f1") throws -> FollowUpRow? {
        var row: FollowUpRow?
        for (index, (type, data)) in events.enumerated() {
            let origin = EventOrigin(
                position: Int64(index + 1),
                eventID: "e\(index + 1)",
                stream: stream,
                recordedOn: try ISODate(parsing: "2025-02-0\(index + 1)")
            )
            let event = try #require(
                try DomainEvent(EventPayload(type: type, data: data, recordedOn: origin.recordedOn))
            )
            row = FollowUpRow.applying(event, to: row, origin: origin)
        }
        return row
    }

    static let scheduled = (
        "FollowUpScheduled",
        #"{"about":"case-c1","assignee_org":"cbo-1","due_on":"2025-03-01","note":"call back","schema":1}"#
    )
    static let blocked = ("FollowUpBlocked", #"{"reason":"waiting on procurement","schema":1}"#)

    @Test func aFollowUpIsScheduledBlockedAndCompleted() throws {
        let open = try #require(try Self.fold([Self.scheduled, Self.blocked]))
        #expect(open.id == "f1" && open.about == "case-c1" && open.assigneeOrg == "cbo-1" && open.note == "call back")
        #expect(open.status == "blocked" && open.blockReason == "waiting on procurement")
        #expect(open.scheduledOn == (try ISODate(parsing: "2025-02-01")))
        #expect(open.isOverdue(on: try ISODate(parsing: "2025-03-02")), "blocked is still open")
        #expect(!open.isOverdue(on: try ISODate(parsing: "2025-03-01")), "due today is not overdue")

        let done = try #require(
            try Self.fold([
                Self.scheduled, Self.blocked,
                ("FollowUpCompleted", #"{"completed_on":"2025-03-05","outcome":"answered","schema":1}"#),
            ])
        )
        #expect(done.status == "completed" && done.outcome == "answered" && done.blockReason == nil)
        #expect(done.completedOn == (try ISODate(parsing: "2025-03-05")))
        #expect(!done.isOverdue(on: try ISODate(parsing: "2026-01-01")))
    }

    @Test func aCancelledFollowUpIsNeverOverdue() throws {
        let row = try #require(
            try Self.fold([Self.scheduled, ("FollowUpCancelled", #"{"reason":"duplicate","schema":1}"#)])
        )
        #expect(row.status == "cancelled" && row.cancelReason == "duplicate")
        #expect(row.cancelledOn == (try ISODate(parsing: "2025-02-02")))
        #expect(!row.isOverdue(on: try ISODate(parsing: "2026-01-01")))
    }

    @Test func onlyFollowUpEventsHaveARow() throws {
        let origin = EventOrigin(
            position: 1,
            eventID: "e1",
            stream: "case-c1",
            recordedOn: try ISODate(parsing: "2025-01-01")
        )
        let note = try #require(
            try DomainEvent(
                EventPayload(type: "CaseNoteAdded", data: #"{"note":"n","schema":1}"#, recordedOn: origin.recordedOn)
            )
        )
        #expect(FollowUpRow.key(of: note, origin: origin) == nil)
        let blocked = try #require(
            try DomainEvent(EventPayload(type: Self.blocked.0, data: Self.blocked.1, recordedOn: origin.recordedOn))
        )
        #expect(FollowUpRow.applying(blocked, to: nil, origin: origin) == nil, "no row before it is scheduled")
    }
}
