import Domain
import EventLog
import Projections
import ReadModels
import Testing

/// Cases and their timelines in PostgreSQL: list filters, the timeline's order and the events of
/// other entities that name a case, as-of.
@Suite struct CaseTimelineTests {
    @Test func theCaseListFiltersByLeadOrgAndStatus() async throws {
        try await ProjectionHarness.with(projections: [ReadModelCatalog.cases]) { harness in
            let first = try await harness.openCase(title: "Behavioral-health calls", org: "cbo-1")
            let second = try await harness.openCase(title: "Youth outreach", org: "cbo-2")
            let third = try await harness.openCase(title: "Call triage", org: "cbo-1")
            let closing = try await harness.append(
                "case-\(third)",
                "CaseClosed",
                #"{"resolution":"merged into another case","schema":1}"#
            )
            try await harness.append("case-\(second)", "CaseNoteAdded", #"{"note":"met the principal","schema":1}"#)
            _ = try await harness.caughtUp("cases")

            let all = try await harness.queries.cases(CaseFilter())
            #expect(all.rows.map(\.row.id) == [first, second, third].sorted(), "opened the same day, then by id")
            #expect(all.rows.first { $0.row.id == second }?.row.noteCount == 1)
            let closed = try #require(all.rows.first { $0.row.id == third })
            #expect(closed.row.status == "closed" && closed.row.resolution == "merged into another case")
            #expect(closed.position == closing, "lineage: the last event that changed the row")

            var filter = CaseFilter()
            filter.org = "cbo-1"
            #expect(try await harness.queries.cases(filter).rows.map(\.row.id) == [first, third].sorted())
            filter.status = "open"
            #expect(try await harness.queries.cases(filter).rows.map(\.row.id) == [first])
            filter = CaseFilter()
            filter.limit = 1
            #expect(try await harness.queries.cases(filter).rows.count == 1)
        }
    }

    @Test func theTimelineHoldsCaseEventsAndEventsNamingTheCaseInLogOrder() async throws {
        try await ProjectionHarness.with(projections: [ReadModelCatalog.cases]) { harness in
            let id = try await harness.openCase(title: "Behavioral-health calls")
            let other = try await harness.openCase(title: "Another concern")
            let commitment = try await harness.makeCommitment(
                org: "cbo-1",
                made: "2025-05-02",
                due: "2025-09-01",
                caseID: id
            )
            try await harness.makeCommitment(org: "cbo-1", made: "2025-05-02", due: "2025-09-01")
            try await harness.append("case-\(id)", "CaseNoteAdded", #"{"note":"met residents","schema":1}"#)
            let activity = try await harness.logActivity(on: "2025-05-03", attendance: 25, caseID: id)
            try await harness.logActivity(on: "2025-05-04", attendance: 5, caseID: other)
            let followUp = try await harness.scheduleFollowUp(about: "case-\(id)", org: "cbo-2", due: "2025-06-01")
            try await harness.scheduleFollowUp(about: "commitment-\(commitment)", due: "2025-06-01")
            let unlinked = try await harness.logActivity(on: "2025-05-05", attendance: 8)
            try await harness.append(
                "activity-\(unlinked)",
                "ActivityCorrected",
                #"{"case_id":"\#(id)","reason":"belongs to the case","schema":1}"#
            )
            try await harness.append(
                "commitment-\(commitment)",
                "CommitmentProgressed",
                #"{"level":"limited","schema":1}"#
            )
            try await harness.append("case-\(id)", "CaseClosed", #"{"resolution":"pilot funded","schema":1}"#)
            _ = try await harness.caughtUp("cases")

            let timeline = try await harness.queries.caseTimeline(id)
            #expect(
                timeline.rows.map { "\($0.row.type) \($0.row.stream)" } == [
                    "CaseOpened case-\(id)", "CommitmentMade commitment-\(commitment)", "CaseNoteAdded case-\(id)",
                    "ActivityLogged activity-\(activity)", "FollowUpScheduled followup-\(followUp)",
                    "ActivityCorrected activity-\(unlinked)", "CaseClosed case-\(id)",
                ]
            )
            let positions = timeline.rows.map(\.position)
            #expect(positions == positions.sorted(), "in log order")
            #expect(timeline.rows.allSatisfy { $0.row.caseID == id && $0.eventID.count == 36 })
            #expect(timeline.rows[2].row.summary == "note: met residents")
            #expect(timeline.rows[4].row.summary == "follow-up for cbo-2, due 2025-06-01")
            #expect(
                try await harness.queries.caseTimeline(other).rows.map(\.row.type) == ["CaseOpened", "ActivityLogged"]
            )
        }
    }

    @Test func aRebuildGivesBackTheSameCasesAndTimelines() async throws {
        try await ProjectionHarness.with(projections: [ReadModelCatalog.cases], batchSize: 7) { harness in
            for round in 0..<6 {
                let id = try await harness.openCase(title: "Concern \(round)", org: "cbo-\(round % 2)")
                try await harness.append("case-\(id)", "CaseNoteAdded", #"{"note":"n\#(round)","schema":1}"#)
                try await harness.logActivity(on: "2025-04-1\(round)", attendance: round, caseID: id)
                try await harness.makeCommitment(org: "cbo-1", made: "2025-04-01", due: "2025-05-01", caseID: id)
                try await harness.scheduleFollowUp(about: "case-\(id)", due: "2025-05-0\(round + 1)")
                if round % 2 == 0 {
                    try await harness.append("case-\(id)", "CaseClosed", #"{"resolution":"r","schema":1}"#)
                }
            }
            _ = try await harness.caughtUp("cases")
            let rows = try await harness.allRows(schema: "rm_cases")
            let timeline = try await harness.timelineEntries()
            #expect(rows.count == 6 * 2 + 3 && timeline.count == 6 * 5 + 3)

            let liveTable = try await harness.timelineTable()
            try await harness.runner.perform(.rebuild, on: "cases")
            _ = try await harness.status(of: "cases") { $0.rebuildPosition == nil && $0.state == "running" }
            #expect(try await harness.timelineTable() != liveTable, "the rebuilt tables were swapped in")
            #expect(try await harness.allRows(schema: "rm_cases") == rows)
            #expect(try await harness.timelineEntries() == timeline)
        }
    }

    /// `AS-OF p` answers what the live case list and timeline answered when the head was p.
    @Test func asOfAnswersWhatTheLiveCasesSaidThen() async throws {
        try await ProjectionHarness.with(projections: [ReadModelCatalog.cases]) { harness in
            var recorded: [(LogPosition, [String], [String])] = []
            var ids: [String] = []
            for round in 0..<9 {
                ids.append(try await harness.openCase(title: "Concern \(round)", org: "cbo-\(round % 3)"))
                try await harness.append(
                    "case-\(ids[round / 2])",
                    "CaseNoteAdded",
                    #"{"note":"n\#(round)","schema":1}"#
                )
                if round % 3 == 2 {
                    try await harness.append("case-\(ids[round - 1])", "CaseClosed", #"{"resolution":"r","schema":1}"#)
                }
                if round % 2 == 1 {
                    try await harness.logActivity(on: "2025-04-0\(round)", attendance: round, caseID: ids[0])
                }
                let head = try await harness.caughtUp("cases")
                let live = try await harness.queries.cases(CaseFilter())
                let timeline = try await harness.queries.caseTimeline(ids[0])
                recorded.append((head, live.rows.map(Self.describe), timeline.rows.map(Self.describe)))
            }
            for (head, cases, timeline) in recorded {
                let moment = QueryMoment(asOf: .position(head))
                let then = try await harness.queries.cases(CaseFilter(), at: moment)
                #expect(then.rows.map(Self.describe) == cases, "cases as of \(head)")
                let timelineThen = try await harness.queries.caseTimeline(ids[0], at: moment)
                #expect(timelineThen.rows.map(Self.describe) == timeline, "timeline as of \(head)")
            }
        }
    }

    static func describe(_ row: Lineaged<CaseRow>) -> String {
        "\(row.row.id) \(row.row.status) \(row.row.noteCount) \(row.position) \(row.eventID)"
    }

    static func describe(_ row: Lineaged<CaseTimelineEntry>) -> String {
        "\(row.row.type) \(row.row.summary) \(row.position) \(row.eventID)"
    }
}
