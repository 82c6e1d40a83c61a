import CaselogTesting
import Domain
import EventLog
import Foundation
import Projections
import ReadModels
import Testing

/// The commitment board in PostgreSQL: live catch-up, overdue by the clock, lineage, as-of.
@Suite struct CommitmentBoardTests {
    @Test func theBoardCatchesUpAndFollowsTheLogLive() async throws {
        try await ProjectionHarness.with { harness in
            let early = try await harness.makeCommitment(due: "2025-03-01")
            let late = try await harness.makeCommitment(org: "cbo-2", due: "2025-09-01")
            try await harness.progress(early, level: "limited")
            _ = try await harness.caughtUp()
            var board = try await harness.queries.commitments(CommitmentFilter())
            #expect(board.rows.map(\.row.id) == [early, late], "by due date")
            #expect(board.rows[0].row.level == "limited")

            let position = try await harness.append(
                "commitment-\(late)",
                "CommitmentProgressed",
                #"{"schema":1,"level":"substantial"}"#
            )
            board = try await harness.queries.commitments(CommitmentFilter(), at: QueryMoment(after: position))
            let row = try #require(board.rows.first { $0.row.id == late })
            #expect(row.row.level == "substantial", "read-your-writes with AFTER")
            #expect(row.position == position, "lineage: the last event that changed the row")
        }
    }

    @Test func overdueChangesWithTheClock() async throws {
        try await ProjectionHarness.with { harness in
            let id = try await harness.makeCommitment(due: "2025-03-01")
            _ = try await harness.caughtUp()
            var overdue = CommitmentFilter()
            overdue.overdue = true
            harness.calendar.today = try ISODate(parsing: "2025-03-01")
            #expect(try await harness.queries.commitments(overdue).rows.isEmpty, "due today is not overdue")
            harness.calendar.today = try ISODate(parsing: "2025-03-02")
            #expect(try await harness.queries.commitments(overdue).rows.map(\.row.id) == [id])
            try await harness.fulfil(id)
            _ = try await harness.caughtUp()
            #expect(try await harness.queries.commitments(overdue).rows.isEmpty, "fulfilled is never overdue")
        }
    }

    /// `AS-OF p` answers what a live query answered when the head was p.
    @Test func asOfAnswersWhatTheLiveBoardSaidThen() async throws {
        try await ProjectionHarness.with { harness in
            var recorded: [(LogPosition, [String])] = []
            var ids: [String] = []
            let levels = ["limited", "substantial", "complete", "not-started"]
            for round in 0..<12 {
                ids.append(try await harness.makeCommitment(due: "2025-0\(round % 9 + 1)-15"))
                try await harness.progress(ids[round / 2], level: levels[round % levels.count])
                if round % 3 == 2 { try await harness.fulfil(ids[round - 1]) }
                let head = try await harness.caughtUp()
                let live = try await harness.queries.commitments(CommitmentFilter())
                recorded.append(
                    (head, live.rows.map { "\($0.row.id) \($0.row.status) \($0.row.level) \($0.position)" })
                )
            }
            for (head, rows) in recorded {
                let then = try await harness.queries.commitments(
                    CommitmentFilter(),
                    at: QueryMoment(asOf: .position(head))
                )
                #expect(
                    then.rows.map { "\($0.row.id) \($0.row.status) \($0.row.level) \($0.position)" } == rows,
                    "as of \(head)"
                )
            }
        }
    }
}
