import Domain
import EventLog
import Projections
import ReadModels
import Testing

/// The organization scorecard over the commitment board: figures on a known history, overdue by
/// the clock, lineage, as-of.
@Suite struct ScorecardTests {
    @Test func theScorecardCountsWhatEachOrgMadeFulfilledAndLetSlip() async throws {
        try await ProjectionHarness.with(projections: [ReadModelCatalog.commitments]) { harness in
            let onTime = try await harness.makeCommitment(org: "cbo-1", made: "2025-01-01", due: "2025-02-01")
            let late = try await harness.makeCommitment(org: "cbo-1", made: "2025-01-01", due: "2025-02-01")
            let early = try await harness.makeCommitment(org: "cbo-1", made: "2025-01-11", due: "2025-03-01")
            try await harness.makeCommitment(org: "cbo-1", made: "2025-01-01", due: "2025-04-01")
            try await harness.makeCommitment(org: "cbo-1", made: "2025-01-01", due: "2025-06-01")
            let cancelled = try await harness.makeCommitment(org: "cbo-1", made: "2025-01-01", due: "2025-02-01")
            try await harness.makeCommitment(org: "cbo-2", made: "2025-01-01", due: "2025-09-01")
            try await harness.fulfil(onTime, on: "2025-02-01")
            try await harness.fulfil(late, on: "2025-03-02")
            try await harness.fulfil(early, on: "2025-01-21")
            try await harness.cancel(cancelled)
            let last = try await harness.append(
                "commitment-\(early)",
                "CommitmentProgressed",
                #"{"level":"complete","schema":1}"#
            )
            _ = try await harness.caughtUp()
            harness.calendar.today = try ISODate(parsing: "2025-05-01")

            let cards = try await harness.queries.scorecards()
            #expect(cards.rows.map(\.row.org) == ["cbo-1", "cbo-2"])
            let card = try #require(cards.rows.first)
            #expect(card.row.made == 6 && card.row.open == 2 && card.row.cancelled == 1)
            #expect(card.row.fulfilled == 3 && card.row.fulfilledOnTime == 2, "due day counts as on time")
            #expect(card.row.overdue == 1, "due 2025-04-01, open on 2025-05-01")
            #expect(card.row.medianDaysToFulfil == 31, "10, 31 and 60 days")
            #expect(card.position == last, "lineage: the last event that changed one of its commitments")

            let other = try await harness.queries.scorecards(org: "cbo-2")
            #expect(other.rows.map(\.row.org) == ["cbo-2"])
            #expect(other.rows.first?.row.made == 1 && other.rows.first?.row.medianDaysToFulfil == nil)
            #expect(try await harness.queries.scorecards(org: "cbo-9").rows.isEmpty)

            harness.calendar.today = try ISODate(parsing: "2025-06-02")
            #expect(try await harness.queries.scorecards(org: "cbo-1").rows.first?.row.overdue == 2)
        }
    }

    /// `AS-OF p` answers what the live scorecards answered when the head was p.
    @Test func asOfAnswersWhatTheLiveScorecardsSaidThen() async throws {
        try await ProjectionHarness.with(projections: [ReadModelCatalog.commitments]) { harness in
            var recorded: [(LogPosition, [String])] = []
            var ids: [String] = []
            for round in 0..<10 {
                ids.append(
                    try await harness.makeCommitment(
                        org: "cbo-\(round % 3)",
                        made: "2025-01-0\(round % 9 + 1)",
                        due: "2025-0\(round % 5 + 2)-15"
                    )
                )
                if round % 3 == 1 { try await harness.fulfil(ids[round - 1], on: "2025-03-1\(round)") }
                if round % 4 == 3 { try await harness.cancel(ids[round - 2]) }
                let head = try await harness.caughtUp()
                let live = try await harness.queries.scorecards()
                recorded.append((head, live.rows.map(Self.describe)))
            }
            for (head, cards) in recorded {
                let then = try await harness.queries.scorecards(at: QueryMoment(asOf: .position(head)))
                #expect(then.rows.map(Self.describe) == cards, "as of \(head)")
            }
        }
    }

    /// Everything but `overdue`, which is judged on the day of the moment (today live, the day of
    /// the event as of a position).
    static func describe(_ card: Lineaged<Scorecard>) -> String {
        let row = card.row
        return "\(row.org) \(row.made) \(row.open) \(row.fulfilled) \(row.fulfilledOnTime) \(row.cancelled) "
            + "\(row.medianDaysToFulfil.map { "\($0)" } ?? "-") \(card.position) \(card.eventID)"
    }
}
