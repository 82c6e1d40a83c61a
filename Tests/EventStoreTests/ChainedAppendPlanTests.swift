import CaselogTesting
import Foundation
import PostgresNIO
import Testing

@testable import EventStore

/// The chained append is planned once per connection, often while the log is still empty:
/// its plan must reach events through their indexes, or every append would read the whole log.
@Suite struct ChainedAppendPlanTests {
    @Test func theOncePlannedStatementReachesEventsThroughIndexesEvenOnAnEmptyLog() async throws {
        try await TestDatabase.with { database in
            let plan = try await database.client.withConnection { connection in
                try await connection.query("SET plan_cache_mode = force_generic_plan", logger: TestDatabase.logger)
                let types =
                    "text[], bigint[], text[], bigint[], uuid[], text[], text[], text[], bytea[], bigint, bytea, text, bool[]"
                try await connection.query(
                    PostgresQuery(unsafeSQL: "PREPARE chained(\(types)) AS \(ChainedAppend.Call.sql)"),
                    logger: TestDatabase.logger
                )
                let explain = """
                    EXPLAIN EXECUTE chained('{a}', '{0}', '{a}', '{1}', ARRAY[gen_random_uuid()], '{t}', '{d}', '{m}',
                                            ARRAY['\\x00'::bytea], 0, '\\x00', '2026-01-01T00:00:00.000000Z', '{t}')
                    """
                var lines: [String] = []
                for try await line in try await connection.query(
                    PostgresQuery(unsafeSQL: explain),
                    logger: TestDatabase.logger
                )
                .decode(String.self) {
                    lines.append(line)
                }
                return lines
            }
            #expect(plan.contains { $0.contains("events_stream_version_key") })
            #expect(!plan.contains { $0.contains("Seq Scan on events") }, "\(plan.joined(separator: "\n"))")
        }
    }
}
