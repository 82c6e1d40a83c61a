import CaselogTesting
import Domain
import Foundation
import PostgresNIO
import ReadModels
import Testing

@testable import Projections

/// Sessions plan statements once for every value (`plan_cache_mode = force_generic_plan`), so a
/// list query must reach its rows through an index whatever the values: never a scan of every
/// row and a sort. This plans each list statement the way it runs, generically, on boards of a
/// few thousand rows with a closed version behind every current one.
@Suite struct ListQueryPlanTests {
    /// One list statement as the queries build it, named for the failure message.
    struct Shape {
        let name: String
        let projection: String
        let statement: ListStatement
        let cursor: ListCursor?
        /// Whether the index the list is sorted by serves the filter too, so no sort is needed.
        let sortedByIndex: Bool
    }

    static let today = try! ISODate(parsing: "2025-06-01")
    static let now = ReadModelQueries.Snapshot(position: 20_000, today: today, asOf: nil)
    static let asOf = ReadModelQueries.Snapshot(position: 12_000, today: today, asOf: 12_000)
    static let cursor = ListCursor(position: 12_000, today: today, sortKey: "2025-03-01", key: "k001000")
    /// A business day (`ON`): per key the last version effective by that day.
    static let onDay: ReadModelQueries.Snapshot = {
        var snapshot = ReadModelQueries.Snapshot(position: 20_000, today: today, asOf: nil)
        snapshot.on = try! ISODate(parsing: "2025-01-15")
        return snapshot
    }()

    static var shapes: [Shape] {
        var shapes: [Shape] = []
        func add<Filter>(
            _ projection: String,
            _ filters: [(String, Filter)],
            _ build: (Filter, ReadModelQueries.Snapshot) -> ListStatement
        ) {
            for (name, filter) in filters {
                let sortedByIndex = ["all", "STATUS", "OVERDUE", "DUE-BEFORE", "SINCE"].contains(name)
                let moments = [
                    ("", now, nil), (" AS-OF", asOf, nil), (" next page", asOf, cursor), (" ON", onDay, nil),
                ]
                for (suffix, snapshot, cursor) in moments {
                    shapes.append(
                        Shape(
                            name: "\(projection) \(name)\(suffix)",
                            projection: projection,
                            statement: build(filter, snapshot),
                            cursor: cursor,
                            sortedByIndex: sortedByIndex
                        )
                    )
                }
            }
        }
        add(
            "commitments",
            [
                ("all", CommitmentFilter()),
                ("ORG", with(CommitmentFilter()) { $0.org = "cbo-3" }),
                ("STATUS", with(CommitmentFilter()) { $0.status = "cancelled" }),
                ("OVERDUE", with(CommitmentFilter()) { $0.overdue = true }),
                ("DUE-BEFORE", with(CommitmentFilter()) { $0.dueBefore = try! ISODate(parsing: "2025-02-01") }),
                ("CASE", with(CommitmentFilter()) { $0.caseID = "case-7" }),
            ],
            ReadModelQueries.commitmentList
        )
        add(
            "followups",
            [
                ("all", FollowUpFilter()),
                ("ORG", with(FollowUpFilter()) { $0.org = "cbo-3" }),
                ("STATUS", with(FollowUpFilter()) { $0.status = "blocked" }),
                ("OVERDUE", with(FollowUpFilter()) { $0.overdue = true }),
                ("DUE-BEFORE", with(FollowUpFilter()) { $0.dueBefore = try! ISODate(parsing: "2025-02-01") }),
                ("ABOUT", with(FollowUpFilter()) { $0.about = "case-7" }),
            ],
            ReadModelQueries.followUpList
        )
        add(
            "activities",
            [
                ("all", ActivityFilter()),
                ("ORG", with(ActivityFilter()) { $0.org = "cbo-3" }),
                ("AREA", with(ActivityFilter()) { $0.area = 25 }),
                ("THEME", with(ActivityFilter()) { $0.theme = "housing" }),
                ("SINCE", with(ActivityFilter()) { $0.since = try! ISODate(parsing: "2025-05-01") }),
                ("CASE", with(ActivityFilter()) { $0.caseID = "case-7" }),
                ("STATUS", with(ActivityFilter()) { $0.status = "retracted" }),
            ],
            ReadModelQueries.activityList
        )
        add(
            "cases",
            [
                ("all", CaseFilter()),
                ("ORG", with(CaseFilter()) { $0.org = "cbo-3" }),
                ("STATUS", with(CaseFilter()) { $0.status = "closed" }),
            ],
            ReadModelQueries.caseList
        )
        return shapes
    }

    static func with<Filter>(_ filter: Filter, _ change: (inout Filter) -> Void) -> Filter {
        var filter = filter
        change(&filter)
        return filter
    }

    /// 3,000 entities per read model, each with a closed version and a current one; the day,
    /// organization, status and subject vary as on a real board.
    static let boards = [
        """
        INSERT INTO rm_commitments.rows (key, valid_from, valid_to, last_event_id, effective_on, doc)
        SELECT 'k' || lpad(i::text, 6, '0'), v * 10000 + i, CASE WHEN v = 0 THEN 10000 + i END, gen_random_uuid(),
            to_char(date '2024-06-01' + i % 500 + v, 'YYYY-MM-DD'),
            jsonb_build_object('owner_org', 'cbo-' || i % 40, 'due_on', to_char(date '2024-06-01' + i % 500, 'YYYY-MM-DD'),
                'status', CASE WHEN v = 0 OR i % 10 < 2 THEN 'open' WHEN i % 10 < 9 THEN 'fulfilled' ELSE 'cancelled' END,
                'case_id', CASE WHEN i % 4 = 0 THEN 'case-' || i % 700 END)
        FROM generate_series(1, 3000) AS i, generate_series(0, 1) AS v
        """,
        """
        INSERT INTO rm_followups.rows (key, valid_from, valid_to, last_event_id, effective_on, doc)
        SELECT 'k' || lpad(i::text, 6, '0'), v * 10000 + i, CASE WHEN v = 0 THEN 10000 + i END, gen_random_uuid(),
            to_char(date '2024-06-01' + i % 500 + v, 'YYYY-MM-DD'),
            jsonb_build_object('assignee_org', 'cbo-' || i % 40, 'due_on', to_char(date '2024-06-01' + i % 500, 'YYYY-MM-DD'),
                'status', CASE WHEN v = 0 OR i % 10 < 2 THEN 'scheduled' WHEN i % 10 < 3 THEN 'blocked' ELSE 'completed' END,
                'about', 'case-' || i % 700)
        FROM generate_series(1, 3000) AS i, generate_series(0, 1) AS v
        """,
        """
        INSERT INTO rm_activities.rows (key, valid_from, valid_to, last_event_id, effective_on, doc)
        SELECT 'k' || lpad(i::text, 6, '0'), v * 10000 + i, CASE WHEN v = 0 THEN 10000 + i END, gen_random_uuid(),
            to_char(date '2024-06-01' + i % 500 + v, 'YYYY-MM-DD'),
            jsonb_build_object('org', 'cbo-' || i % 40, 'occurred_on', to_char(date '2024-06-01' + i % 500, 'YYYY-MM-DD'),
                'month', to_char(date '2024-06-01' + i % 500, 'YYYY-MM'), 'area_number', 1 + i % 77,
                'status', CASE WHEN i % 50 = 0 THEN 'retracted' ELSE 'recorded' END,
                'case_id', CASE WHEN i % 4 = 0 THEN 'case-' || i % 700 END,
                'themes', jsonb_build_array((ARRAY['housing', 'safety', 'youth', 'jobs', 'health'])[1 + i % 5]))
        FROM generate_series(1, 3000) AS i, generate_series(0, 1) AS v
        """,
        """
        INSERT INTO rm_cases.rows (key, valid_from, valid_to, last_event_id, effective_on, doc)
        SELECT 'k' || lpad(i::text, 6, '0'), v * 10000 + i, CASE WHEN v = 0 THEN 10000 + i END, gen_random_uuid(),
            to_char(date '2024-06-01' + i % 500 + v, 'YYYY-MM-DD'),
            jsonb_build_object('lead_org', 'cbo-' || i % 40, 'opened_on', to_char(date '2024-06-01' + i % 500, 'YYYY-MM-DD'),
                'status', CASE WHEN v = 0 OR i % 10 < 7 THEN 'open' ELSE 'closed' END)
        FROM generate_series(1, 3000) AS i, generate_series(0, 1) AS v
        """,
    ]

    /// Every plan node of an `EXPLAIN (FORMAT JSON)` plan: its type, relation and index.
    static func nodes(_ plan: Any) -> [(type: String, relation: String?, index: String?)] {
        guard let node = plan as? [String: Any] else { return [] }
        let own = (node["Node Type"] as? String ?? "", node["Relation Name"] as? String, node["Index Name"] as? String)
        return [own] + ((node["Plans"] as? [Any]) ?? []).flatMap(nodes)
    }

    @Test func everyListStatementReachesItsRowsThroughAnIndexUnderGenericPlans() async throws {
        try await TestDatabase.with { database in
            try await database.client.withConnection { connection in
                try await Self.createBoards(on: connection)
                for shape in Self.shapes {
                    let query = shape.statement.page(of: shape.projection, after: shape.cursor, limit: 100)
                    let nodes = try await Self.genericPlan(
                        of: PostgresQuery(unsafeSQL: query.sql, binds: query.binds),
                        on: connection
                    )
                    let described = nodes.map { "\($0.type) \($0.relation ?? "") \($0.index ?? "")" }
                    #expect(
                        !nodes.contains { $0.type == "Seq Scan" && $0.relation == "rows" },
                        "\(shape.name): \(described)"
                    )
                    #expect(
                        nodes.contains { $0.type.hasSuffix("Index Scan") || $0.type == "Index Only Scan" },
                        "\(shape.name): \(described)"
                    )
                    if shape.sortedByIndex {
                        #expect(!nodes.contains { $0.type == "Sort" }, "\(shape.name): \(described)")
                    }
                }
            }
        }
    }

    /// `ACTIVITY STATS` of the current moment reads the whole months from the tally and only the
    /// days around them from the rows, through an index: never every version of every activity.
    @Test func currentActivityStatisticsReadTheTallyAndOnlyTheDaysAroundItsMonths() async throws {
        let spans: [(since: String?, until: String?, org: String?)] = [
            (nil, nil, nil), ("2024-09-10", "2025-03-20", nil), ("2024-09-10", "2025-03-20", "cbo-3"),
            ("2025-01-01", "2025-01-31", nil), (nil, "2024-12-15", "cbo-3"), ("2025-02-03", nil, nil),
        ]
        try await TestDatabase.with { database in
            try await database.client.withConnection { connection in
                try await Self.createBoards(on: connection)
                for grouping in ActivityGrouping.allCases {
                    for span in spans {
                        let query = ReadModelQueries.talliedStatistics(
                            by: grouping,
                            since: try span.since.map { try ISODate(parsing: $0) },
                            until: try span.until.map { try ISODate(parsing: $0) },
                            org: span.org
                        )
                        let nodes = try await Self.genericPlan(of: query, on: connection)
                        let described =
                            "\(grouping) \(span): \(nodes.map { "\($0.type) \($0.relation ?? "") \($0.index ?? "")" })"
                        #expect(!nodes.contains { $0.type == "Seq Scan" && $0.relation == "rows" }, "\(described)")
                        #expect(nodes.contains { $0.relation == "tallies" }, "\(described)")
                        #expect(nodes.contains { $0.index?.hasPrefix("rows_") == true }, "\(described)")
                    }
                }
            }
        }
    }

    /// Creates every read model's tables and fills them with the boards, as of a realistic size.
    static func createBoards(on connection: PostgresConnection) async throws {
        let logger = TestDatabase.logger
        for projection in ReadModelCatalog.standard {
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(projection.schema)"), logger: logger)
            for statement in projection.createStatements(schema: projection.schema) {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
        }
        for board in Self.boards {
            try await connection.query(PostgresQuery(unsafeSQL: board), logger: logger)
        }
        try await connection.query("ANALYZE", logger: logger)
        try await connection.query("SET plan_cache_mode = force_generic_plan", logger: logger)
    }

    /// The nodes of the plan `query` runs with when prepared once for every value, as sessions do.
    static func genericPlan(of query: PostgresQuery, on connection: PostgresConnection) async throws
        -> [(type: String, relation: String?, index: String?)]
    {
        let logger = TestDatabase.logger
        try await connection.query(PostgresQuery(unsafeSQL: "PREPARE list AS \(query.sql)"), logger: logger)
        // Utility statements take no bound parameters: the same values, quoted by the server.
        let placeholders = (1...query.binds.count).map { "quote_nullable($\($0))" }.joined(separator: ", ")
        var literals: [String] = []
        for try await row in try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT \(placeholders)", binds: query.binds),
            logger: logger
        ) {
            for cell in row { literals.append(try cell.decode(String.self)) }
        }
        let parameters = literals.joined(separator: ", ")
        var json = ""
        for try await line in try await connection.query(
            PostgresQuery(unsafeSQL: "EXPLAIN (FORMAT JSON) EXECUTE list(\(parameters))"),
            logger: logger
        )
        .decode(String.self) {
            json += line
        }
        try await connection.query("DEALLOCATE list", logger: logger)
        let explained = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
        return Self.nodes(explained?.first?["Plan"] as Any)
    }
}
