import Domain
import ReadModels
import Testing

@Suite struct CaseRowTests {
    /// The event as read from the log at `position` (schema 1 events take the day it was recorded on).
    static func event(_ type: String, _ data: String, at position: Int64 = 1) throws -> DomainEvent {
        try #require(try DomainEvent(EventPayload(type: type, data: data, recordedOn: try origin(position).recordedOn)))
    }

    static func origin(_ position: Int64, _ stream: String = "case-c1") throws -> EventOrigin {
        EventOrigin(
            position: position,
            eventID: "e\(position)",
            stream: stream,
            recordedOn: try ISODate(parsing: "2025-05-\(10 + position)")
        )
    }

    static let opened = (
        "CaseOpened",
        #"{"community_areas":[{"name":"Austin","number":25}],"lead_org":"cbo-1","schema":1,"#
            + #""themes":["alternate-response"],"title":"Clinicians on behavioral-health calls"}"#
    )

    @Test func aCaseIsOpenedNotedReassignedClosedAndReopened() throws {
        let history = [
            Self.opened,
            ("CaseNoteAdded", #"{"note":"first meeting","schema":1}"#),
            ("CaseNoteAdded", #"{"note":"second meeting","schema":1}"#),
            ("CaseReassigned", #"{"lead_org":"cbo-2","schema":1}"#),
            ("CaseClosed", #"{"resolution":"pilot funded","schema":1}"#),
        ]
        var row: CaseRow?
        for (index, (type, data)) in history.enumerated() {
            row = CaseRow.applying(
                try Self.event(type, data, at: Int64(index + 1)),
                to: row,
                origin: try Self.origin(Int64(index + 1))
            )
        }
        let closed = try #require(row)
        #expect(closed.id == "c1" && closed.title == "Clinicians on behavioral-health calls")
        #expect(closed.leadOrg == "cbo-2" && closed.reassignments == 1 && closed.noteCount == 2)
        #expect(closed.communityAreas.map(\.number) == [25] && closed.themes == ["alternate-response"])
        #expect(closed.status == "closed" && closed.resolution == "pilot funded")
        #expect(closed.openedOn == (try ISODate(parsing: "2025-05-11")))
        #expect(closed.closedOn == (try ISODate(parsing: "2025-05-15")))

        let reopened = try #require(
            CaseRow.applying(
                try Self.event("CaseReopened", #"{"schema":1}"#, at: 6),
                to: closed,
                origin: try Self.origin(6)
            )
        )
        #expect(reopened.status == "open" && reopened.resolution == nil && reopened.closedOn == nil)
    }

    @Test func theTimelineTakesCaseEventsAndEventsThatNameTheCase() throws {
        let opened = try #require(
            CaseTimelineEntry.entry(
                for: try Self.event(Self.opened.0, Self.opened.1),
                type: "CaseOpened",
                origin: try Self.origin(1)
            )
        )
        #expect(opened.caseID == "c1" && opened.stream == "case-c1" && opened.type == "CaseOpened")
        #expect(opened.summary == #"opened "Clinicians on behavioral-health calls", led by cbo-1, in Austin"#)
        #expect(opened.recordedOn == (try ISODate(parsing: "2025-05-11")))

        let made = try Self.event(
            "CommitmentMade",
            #"{"case_id":"c1","due_on":"2025-09-01","made_on":"2025-05-12","made_to":"residents","#
                + #""owner_org":"cbo-1","schema":2,"text":"Publish the pilot plan"}"#
        )
        let commitment = try #require(
            CaseTimelineEntry.entry(for: made, type: "CommitmentMade", origin: try Self.origin(2, "commitment-m1"))
        )
        #expect(commitment.caseID == "c1" && commitment.stream == "commitment-m1")
        #expect(commitment.summary == "cbo-1 committed to residents: Publish the pilot plan (due 2025-09-01)")

        let followUp = try Self.event(
            "FollowUpScheduled",
            #"{"about":"case-c1","assignee_org":"cbo-2","due_on":"2025-06-01","schema":1}"#
        )
        let entry = try #require(
            CaseTimelineEntry.entry(for: followUp, type: "FollowUpScheduled", origin: try Self.origin(3, "followup-f1"))
        )
        #expect(entry.caseID == "c1" && entry.summary == "follow-up for cbo-2, due 2025-06-01")

        let aboutACommitment = try Self.event(
            "FollowUpScheduled",
            #"{"about":"commitment-m1","assignee_org":"cbo-2","due_on":"2025-06-01","schema":1}"#
        )
        #expect(
            CaseTimelineEntry.entry(for: aboutACommitment, type: "FollowUpScheduled", origin: try Self.origin(4)) == nil
        )
        let unlinked = try Self.event(
            "ActivityLogged",
            #"{"attendance":3,"kind":"survey","languages":[],"occurred_on":"2025-05-01","org":"cbo-1","schema":2,"themes":[]}"#
        )
        #expect(CaseTimelineEntry.entry(for: unlinked, type: "ActivityLogged", origin: try Self.origin(5)) == nil)
    }
}
