import CaselogTesting
import Foundation
import PostgresNIO
import Testing

/// The chained append's version lookup is planned once per connection, often while the log is
/// still empty: its plan must reach events through their indexes, or every append would read the
/// whole log. The procedure asks `caselog_stated_versions_hold`, which PostgreSQL inlines into
/// the asking statement; this plans that statement the same way, once and generically.
@Suite struct ChainedAppendPlanTests {
    @Test func theOncePlannedVersionLookupReachesEventsThroughIndexesEvenOnAnEmptyLog() async throws {
        try await TestDatabase.with { database in
            let plan = try await database.client.withConnection { connection in
                try await connection.query("SET plan_cache_mode = force_generic_plan", logger: TestDatabase.logger)
                try await connection.query(
                    """
                    PREPARE hold(text[], bigint[], boolean[]) AS
                    SELECT hold FROM caselog_stated_versions_hold($1, $2, $3) AS hold
                    """,
                    logger: TestDatabase.logger
                )
                var lines: [String] = []
                for try await line in try await connection.query(
                    "EXPLAIN EXECUTE hold('{a}', '{0}', '{t}')",
                    logger: TestDatabase.logger
                )
                .decode(String.self) {
                    lines.append(line)
                }
                return lines
            }
            #expect(plan.contains { $0.contains("events_stream_version_key") }, "\(plan.joined(separator: "\n"))")
            #expect(!plan.contains { $0.contains("Seq Scan on events") }, "\(plan.joined(separator: "\n"))")
        }
    }
}
