import CaselogTesting
import Demo
import Domain
import EventLog
import EventStore
import PostgresNIO
import ReadModels
import Testing

@testable import Projections

/// The activities' tally: `ACTIVITY STATS` of the current moment read from it answers exactly what
/// the scan of every version answers, for every grouping and span, through corrections,
/// retractions and rebuilds.
@Suite struct ActivityTallyTests {
    @Test func theSpanSplitsWholeMonthsFromTheDaysAroundThem() throws {
        func span(_ since: String?, _ until: String?) throws -> String {
            let span = StatisticsSpan(
                since: try since.map { try ISODate(parsing: $0) },
                until: try until.map { try ISODate(parsing: $0) }
            )
            return [span.months, span.before, span.after].map { "\($0.first)..\($0.last)" }.joined(separator: " ")
        }
        let none = "9999-12-31..0000-01-01"
        #expect(try span(nil, nil) == "0000-00..9999-99 \(none) \(none)")
        #expect(try span("2025-03-01", "2025-05-31") == "2025-03..2025-05 \(none) \(none)")
        #expect(
            try span("2025-03-05", "2025-05-20") == "2025-04..2025-04 2025-03-05..2025-03-31 2025-05-01..2025-05-20"
        )
        #expect(
            try span("2025-03-05", "2025-03-20") == "2025-04..2025-02 2025-03-05..2025-03-20 2025-03-05..2025-03-20",
            "no whole month: the same days twice, read once"
        )
        #expect(try span("2025-12-15", nil) == "2026-01..9999-99 2025-12-15..2025-12-31 \(none)")
        #expect(try span(nil, "2025-01-10") == "0000-00..2024-12 \(none) 2025-01-01..2025-01-10")
        #expect(try span("2024-02-01", "2024-02-29") == "2024-02..2024-02 \(none) \(none)", "a leap day ends February")
        #expect(try span("2024-02-01", "2024-02-28") == "2024-02..2024-01 \(none) 2024-02-01..2024-02-28")
        #expect(
            try span("2099-12-02", "2099-12-31") == "2100-01..2099-11 2099-12-02..2099-12-31 2099-12-02..2099-12-31",
            "the last day the dates reach is not known to end its month: read from the rows"
        )
    }

    @Test(arguments: [1, 1000])
    func correctionsAndRetractionsMoveActivitiesInTheTallyAsInTheScan(batchSize: Int) async throws {
        try await ProjectionHarness.with(projections: [ReadModelCatalog.activities], batchSize: batchSize) {
            harness in
            let areas = [(25, "Austin"), (24, "West Town"), (8, "Near North Side")]
            let days = [
                "2025-01-31", "2025-02-01", "2025-02-15", "2025-02-28", "2025-03-01", "2025-03-17", "2025-04-30",
            ]
            let themes = [["trust"], ["trust", "youth"], [], ["youth", "housing"]]
            var ids: [String] = []
            for index in 0..<21 {
                ids.append(
                    try await harness.logActivity(
                        org: "cbo-\(index % 3)",
                        on: days[index % days.count],
                        area: index % 5 == 4 ? nil : areas[index % 3],
                        district: index % 2 == 0 ? (11, "Harrison") : index % 3 == 0 ? (9, "Deering") : nil,
                        attendance: 5 + index,
                        themes: themes[index % themes.count]
                    )
                )
            }
            _ = try await harness.caughtUp("activities")
            try await Self.expectTallyEqualsScan(harness, days: days, orgs: ["cbo-1", "cbo-2"])

            for index in stride(from: 0, to: 21, by: 2) {
                let day = days[(index + 3) % days.count]
                try await harness.append(
                    "activity-\(ids[index])",
                    "ActivityCorrected",
                    #"{"attendance":\#(index * 3),"occurred_on":"\#(day)","reason":"recount","schema":1,"#
                        + #""themes":["youth"],"community_area":{"name":"Loop","number":32}}"#
                )
            }
            for index in stride(from: 0, to: 21, by: 4) {
                try await harness.append(
                    "activity-\(ids[index])",
                    "ActivityCorrected",
                    #"{"police_district":{"name":"Austin","number":15},"reason":"moved","schema":1,"themes":[]}"#
                )
            }
            for index in stride(from: 1, to: 21, by: 5) {
                try await harness.append("activity-\(ids[index])", "ActivityRetracted", #"{"reason":"r","schema":1}"#)
            }
            try await harness.append("activity-\(ids[8])", "ActivityRetracted", #"{"reason":"r","schema":1}"#)
            _ = try await harness.caughtUp("activities")
            try await Self.expectTallyEqualsScan(harness, days: days, orgs: ["cbo-1", "cbo-2"])
        }
    }

    @Test func onADemoHistoryTheTallyAnswersAsTheScan() async throws {
        try await ProjectionHarness.with(projections: [ReadModelCatalog.activities]) { harness in
            let today = ISODate(year: 2025, month: 10, day: 31)!
            let report = try await DemoRunner(store: harness.store, today: today)
                .run(try DemoScenario(seed: 2024, events: 2000, lastDay: today))
            #expect(report.refusals == 0, "\(report)")
            _ = try await harness.caughtUp("activities")
            let changes = try await harness.strings(
                "SELECT doc->>'status' || ' ' || (doc->>'corrections') FROM rm_activities.rows WHERE valid_to IS NULL"
            )
            #expect(changes.contains { $0.hasPrefix("retracted") }, "the demo retracts activities")
            #expect(changes.contains { !$0.hasSuffix(" 0") }, "the demo corrects activities")
            let orgs = try await harness.strings("SELECT DISTINCT org FROM rm_activities.rows ORDER BY 1 LIMIT 2")
            try await Self.expectTallyEqualsScan(
                harness,
                days: ["2024-11-01", "2024-12-31", "2025-01-15", "2025-03-01", "2025-06-30", "2025-07-04"],
                orgs: orgs
            )
        }
    }

    @Test func aRebuildLeavesTheTallyAFreshFoldMakesAndKeepsItCurrent() async throws {
        try await ProjectionHarness.with(projections: [ReadModelCatalog.activities], batchSize: 7) { harness in
            var ids: [String] = []
            for index in 0..<30 {
                ids.append(
                    try await harness.logActivity(
                        org: "cbo-\(index % 4)",
                        on: "2025-0\(index % 6 + 1)-1\(index % 10)",
                        area: index % 3 == 0 ? (24, "West Town") : (25, "Austin"),
                        attendance: index,
                        themes: index % 2 == 0 ? ["trust"] : ["youth"]
                    )
                )
                if index % 3 == 2 {
                    try await harness.append(
                        "activity-\(ids[index - 1])",
                        "ActivityCorrected",
                        #"{"occurred_on":"2025-07-0\#(index % 9 + 1)","reason":"r","schema":1,"themes":["jobs"]}"#
                    )
                }
                if index % 7 == 6 {
                    try await harness.append(
                        "activity-\(ids[index - 4])",
                        "ActivityRetracted",
                        #"{"reason":"r","schema":1}"#
                    )
                }
            }
            _ = try await harness.caughtUp("activities")
            let live = try await harness.tallies()
            #expect(live.count > 40)

            let table = try await harness.strings("SELECT 'rm_activities.tallies'::regclass::oid::text")
            try await harness.runner.perform(.rebuild, on: "activities")
            _ = try await harness.status(of: "activities") { $0.rebuildPosition == nil && $0.state == "running" }
            #expect(try await harness.strings("SELECT 'rm_activities.tallies'::regclass::oid::text") != table)
            #expect(try await harness.tallies() == live, "the rebuilt tally is the one kept while appending")

            let check = ActivityProjection(name: "activities_check")
            try await harness.foldSeparately([check], until: check.name)
            #expect(try await harness.tallies(schema: "rm_activities_check") == live, "a fresh fold's tally")

            try await harness.append(
                "activity-\(ids[0])",
                "ActivityCorrected",
                #"{"attendance":99,"occurred_on":"2025-02-11","reason":"r","schema":1,"themes":["housing"]}"#
            )
            try await harness.append("activity-\(ids[1])", "ActivityRetracted", #"{"reason":"r","schema":1}"#)
            _ = try await harness.caughtUp("activities")
            #expect(try await harness.tallies() != live, "the swapped-in tables keep their tally current")
            try await Self.expectTallyEqualsScan(harness, days: ["2025-02-11", "2025-03-01"], orgs: ["cbo-1"])
        }
    }

    /// Activity tables made before the tally (the rows alone) have another shape: the worker
    /// rebuilds them from position 0 with the tally, and the queries read it.
    @Test func activityTablesMadeBeforeTheTallyAreRebuiltWithIt() async throws {
        try await ProjectionHarness.with(projections: []) { harness in
            for index in 0..<12 {
                try await harness.logActivity(
                    org: "cbo-\(index % 2)",
                    on: "2025-0\(index % 4 + 1)-1\(index % 10)",
                    attendance: index,
                    themes: ["trust"]
                )
            }
            let head = try await harness.store.head().position
            let before = ActivityProjection().rows
            try await harness.foldSeparately([before], until: before.name)
            #expect(try await harness.strings(Self.hasTally) == ["false"])

            let runner = ProjectionRunner(
                projections: [ReadModelCatalog.activities],
                client: harness.database.client,
                store: harness.store,
                logger: TestDatabase.logger
            )
            try await withRunningServices([runner]) {
                // The tables are recreated and the checkpoint reset in one transaction.
                try await waitUntil("the activity tables are made again with the tally") {
                    try await harness.strings(Self.hasTally) == ["true"]
                }
                #expect(try await runner.waitUntilApplied("activities", position: head, timeout: .seconds(60)))
            }
            #expect(
                try await harness.tallies().count == 5 * 4,
                "5 groupings; 4 months, each of one organization and group"
            )
            let fresh = ReadModelQueries(
                client: harness.database.client,
                runner: runner,
                logger: TestDatabase.logger,
                today: { ISODate(year: 2025, month: 6, day: 1)! }
            )
            let byOrg = try await fresh.statistics(
                ReadModelQueries.talliedStatistics(by: .org, since: nil, until: nil, org: nil)
            )
            #expect(byOrg.map(Self.lineaged).map { $0.prefix(10) } == ["cbo-0 - 6 ", "cbo-1 - 6 "])
        }
    }

    /// For every grouping and every SINCE, UNTIL (between the `days` given, and open), ORG (the
    /// `orgs` given, and all) and ON, the tally's answer and the scan's, row for row with lineage.
    static func expectTallyEqualsScan(_ harness: ProjectionHarness, days: [String], orgs: [String]) async throws {
        let bounds: [ISODate?] = [nil] + (try days.map { try ISODate(parsing: $0) })
        var (asked, answered) = (0, 0)
        for grouping in ActivityGrouping.allCases {
            for since in bounds {
                for until in bounds where until == nil || since == nil || since! <= until! {
                    for org in [nil] + orgs {
                        let tallied = try await harness.queries.statistics(
                            ReadModelQueries.talliedStatistics(by: grouping, since: since, until: until, org: org)
                        )
                        let scanned = try await harness.queries.statistics(
                            ReadModelQueries.scannedStatistics(
                                by: grouping,
                                since: since,
                                until: until,
                                org: org,
                                at: .max
                            )
                        )
                        #expect(
                            tallied.map(Self.lineaged) == scanned.map(Self.lineaged),
                            "\(grouping) SINCE \(since?.description ?? "-") UNTIL \(until?.description ?? "-") ORG \(org ?? "-")"
                        )
                        asked += 1
                        if !scanned.isEmpty { answered += 1 }
                    }
                }
            }
            for day in bounds.compactMap({ $0 }) {
                let onDay = try await harness.queries.activityStatistics(by: grouping, at: QueryMoment(on: day))
                let scanned = try await harness.queries.statistics(
                    ReadModelQueries.scannedStatistics(by: grouping, since: nil, until: day, org: nil, at: .max)
                )
                #expect(onDay.rows.map(Self.lineaged) == scanned.map(Self.lineaged), "\(grouping) ON \(day)")
            }
        }
        #expect(answered * 2 > asked, "most spans asked about hold activities: \(answered) of \(asked)")
    }

    static let hasTally = "SELECT (to_regclass('rm_activities.tallies') IS NOT NULL)::text"

    static func lineaged(_ row: Lineaged<ActivityStatistic>) -> String {
        "\(row.row.group ?? "-") \(row.row.label ?? "-") \(row.row.sessions) \(row.row.attendance) "
            + "\(row.position) \(row.eventID) \(row.supersededAt.map(String.init) ?? "-")"
    }
}

extension ProjectionHarness {
    /// One text column of a query's rows.
    func strings(_ sql: String) async throws -> [String] {
        var found: [String] = []
        for try await value in try await database.client.query(
            PostgresQuery(unsafeSQL: sql),
            logger: TestDatabase.logger
        )
        .decode(String.self) {
            found.append(value)
        }
        return found
    }

    /// Every cell of the activities' tally, in a stable order, for comparisons.
    func tallies(schema: String = "rm_activities") async throws -> [String] {
        try await strings(
            """
            SELECT concat_ws(' ', grouping, coalesce(grp, '-'), label, sort, org, month, sessions, attendance, changed)
            FROM \(schema).tallies ORDER BY grouping, month, org, grp NULLS FIRST
            """
        )
    }
}
