import Domain
import EventLog
import Projections
import ReadModels
import Testing

/// Follow-ups due and overdue in PostgreSQL: filters, overdue by the clock, lineage, as-of.
@Suite struct FollowUpListTests {
    @Test func theListFiltersByOrgStatusDueDateAndSubject() async throws {
        try await ProjectionHarness.with(projections: [ReadModelCatalog.followUps]) { harness in
            let early = try await harness.scheduleFollowUp(about: "case-c1", org: "cbo-1", due: "2025-03-01")
            let late = try await harness.scheduleFollowUp(about: "commitment-m1", org: "cbo-2", due: "2025-07-01")
            let blocked = try await harness.scheduleFollowUp(about: "case-c1", org: "cbo-2", due: "2025-05-01")
            let position = try await harness.append(
                "followup-\(blocked)",
                "FollowUpBlocked",
                #"{"reason":"waiting on procurement","schema":1}"#
            )
            _ = try await harness.caughtUp("followups")

            let all = try await harness.queries.followUps(FollowUpFilter())
            #expect(all.rows.map(\.row.id) == [early, blocked, late], "by due date")
            let row = try #require(all.rows.first { $0.row.id == blocked })
            #expect(row.row.status == "blocked" && row.row.blockReason == "waiting on procurement")
            #expect(row.position == position, "lineage: the last event that changed the row")

            var filter = FollowUpFilter()
            filter.org = "cbo-2"
            #expect(try await harness.queries.followUps(filter).rows.map(\.row.id) == [blocked, late])
            filter = FollowUpFilter()
            filter.status = "blocked"
            #expect(try await harness.queries.followUps(filter).rows.map(\.row.id) == [blocked])
            filter = FollowUpFilter()
            filter.dueBefore = try ISODate(parsing: "2025-05-01")
            #expect(try await harness.queries.followUps(filter).rows.map(\.row.id) == [early], "due before is strict")
            filter = FollowUpFilter()
            filter.about = "case-c1"
            #expect(try await harness.queries.followUps(filter).rows.map(\.row.id) == [early, blocked])
            filter = FollowUpFilter()
            filter.limit = 1
            #expect(try await harness.queries.followUps(filter).rows.map(\.row.id) == [early])
        }
    }

    @Test func overdueIsOpenPastTheDueDateOnTheDayOfReading() async throws {
        try await ProjectionHarness.with(projections: [ReadModelCatalog.followUps]) { harness in
            let scheduled = try await harness.scheduleFollowUp(about: "case-c1", due: "2025-03-01")
            let blocked = try await harness.scheduleFollowUp(about: "case-c2", due: "2025-03-01")
            try await harness.append("followup-\(blocked)", "FollowUpBlocked", #"{"reason":"r","schema":1}"#)
            let done = try await harness.scheduleFollowUp(about: "case-c3", due: "2025-02-01")
            try await harness.append(
                "followup-\(done)",
                "FollowUpCompleted",
                #"{"completed_on":"2025-02-10","outcome":"answered","schema":1}"#
            )
            let cancelled = try await harness.scheduleFollowUp(about: "case-c4", due: "2025-02-01")
            try await harness.append("followup-\(cancelled)", "FollowUpCancelled", #"{"schema":1}"#)
            _ = try await harness.caughtUp("followups")

            var overdue = FollowUpFilter()
            overdue.overdue = true
            harness.calendar.today = try ISODate(parsing: "2025-03-01")
            let dueToday = try await harness.queries.followUps(overdue)
            #expect(dueToday.rows.isEmpty, "due today is not overdue")
            #expect(dueToday.today == (try ISODate(parsing: "2025-03-01")))
            harness.calendar.today = try ISODate(parsing: "2025-03-02")
            let late = try await harness.queries.followUps(overdue).rows.map(\.row.id)
            #expect(Set(late) == [scheduled, blocked], "scheduled and blocked are open; done and cancelled are not")
        }
    }

    /// `AS-OF p` answers what a live query answered when the head was p.
    @Test func asOfAnswersWhatTheLiveListSaidThen() async throws {
        try await ProjectionHarness.with(projections: [ReadModelCatalog.followUps]) { harness in
            var recorded: [(LogPosition, [String])] = []
            var ids: [String] = []
            for round in 0..<10 {
                ids.append(
                    try await harness.scheduleFollowUp(about: "case-c\(round % 3)", due: "2025-0\(round % 9 + 1)-10")
                )
                if round % 3 == 1 {
                    try await harness.append(
                        "followup-\(ids[round - 1])",
                        "FollowUpBlocked",
                        #"{"reason":"r\#(round)","schema":1}"#
                    )
                }
                if round % 4 == 3 {
                    try await harness.append(
                        "followup-\(ids[round - 2])",
                        "FollowUpCompleted",
                        #"{"completed_on":"2025-04-01","outcome":"o","schema":1}"#
                    )
                }
                let head = try await harness.caughtUp("followups")
                let live = try await harness.queries.followUps(FollowUpFilter())
                recorded.append((head, live.rows.map(Self.describe)))
            }
            for (head, rows) in recorded {
                let then = try await harness.queries.followUps(FollowUpFilter(), at: QueryMoment(asOf: .position(head)))
                #expect(then.rows.map(Self.describe) == rows, "as of \(head)")
            }
        }
    }

    static func describe(_ row: Lineaged<FollowUpRow>) -> String {
        "\(row.row.id) \(row.row.status) \(row.row.blockReason ?? "-") \(row.position) \(row.eventID)"
    }
}
