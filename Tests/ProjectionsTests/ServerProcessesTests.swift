import CaselogTesting
import EventLog
import EventStore
import Foundation
import PostgresNIO
import Projections
import Testing

/// Real `caselog serve` processes on one database: every projection is applied by one of them,
/// each event once, and when the active process is killed outright the other takes over.
@Suite struct ServerProcessesTests {
    @Test func twoServerProcessesApplyEachEventOnceAndASurvivorTakesOver() async throws {
        try await TestDatabase.withEventStore { store, database in
            let first = try await ServerProcess.start(databaseURL: database.url)
            defer { first.kill() }
            try await Self.makeCommitments(25, store)
            try await database.waitUntilProjectionsApplied(through: try await store.head().position)

            let second = try await ServerProcess.start(databaseURL: database.url)
            defer { second.kill() }
            try await Self.makeCommitments(25, store)
            try await database.waitUntilProjectionsApplied(through: try await store.head().position)
            #expect(try await Self.count("SELECT count(*) FROM rm_commitments.rows", database) == 50)
            let locks = try await Self.count(
                """
                SELECT count(*) FROM pg_locks
                WHERE locktype = 'advisory' AND granted
                  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """,
                database
            )
            #expect(
                locks == ReadModelCatalog.standard.count,
                "one worker per projection holds its lock, the other process stands by: \(locks) locks"
            )

            first.kill()
            try await Self.makeCommitments(20, store)
            try await database.waitUntilProjectionsApplied(through: try await store.head().position)
            #expect(try await Self.count("SELECT count(*) FROM rm_commitments.rows", database) == 70)
        }
    }

    static func makeCommitments(_ count: Int, _ store: EventStore) async throws {
        for _ in 0..<count {
            let data =
                #"{"schema":2,"owner_org":"cbo-1","text":"Publish findings","made_to":"residents","made_on":"2025-01-10","due_on":"2025-03-01"}"#
            _ = try await store.append(
                to: try StreamName("commitment-\(UUID().uuidString.lowercased())"),
                events: [try NewEvent(type: "CommitmentMade", data: data)]
            )
        }
    }

    static func count(_ sql: String, _ database: TestDatabase) async throws -> Int {
        let rows = try await database.client.query(PostgresQuery(unsafeSQL: sql), logger: TestDatabase.logger)
        for try await count in rows.decode(Int64.self) { return Int(count) }
        return 0
    }
}
