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
        guard let binary = ProcessInfo.processInfo.environment["CASELOG_BIN"] else {
            throw TestEnvironmentError("CASELOG_BIN is not set: run the tests with scripts/test.sh")
        }
        try await TestDatabase.withEventStore { store, database in
            let first = try ServerProcess(binary, databaseURL: database.url)
            defer { first.kill() }
            try await Self.makeCommitments(25, store)
            try await Self.waitUntilApplied(database, through: try await store.head().position)

            let second = try ServerProcess(binary, databaseURL: database.url)
            defer { second.kill() }
            try await Self.makeCommitments(25, store)
            try await Self.waitUntilApplied(database, through: try await store.head().position)
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
            try await Self.waitUntilApplied(database, through: try await store.head().position)
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

    /// Waits until every projection's checkpoint has reached `position` (a server process applied it).
    static func waitUntilApplied(_ database: TestDatabase, through position: LogPosition) async throws {
        let projections = ReadModelCatalog.standard.count
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let caughtUp = try await count(
                "SELECT count(*) FROM projection_checkpoints WHERE position >= \(position)",
                database
            )
            if caughtUp == projections { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestEnvironmentError("the projections did not reach position \(position) within 30 s")
    }

    static func count(_ sql: String, _ database: TestDatabase) async throws -> Int {
        let rows = try await database.client.query(PostgresQuery(unsafeSQL: sql), logger: TestDatabase.logger)
        for try await count in rows.decode(Int64.self) { return Int(count) }
        return 0
    }
}

/// A `caselog serve` process on an ephemeral admin port; `kill()` ends it at once (SIGKILL), as a crash would.
final class ServerProcess: Sendable {
    private let process: Process

    init(_ binary: String, databaseURL: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve"]
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = databaseURL
        environment["CASELOG_PORT"] = "0"
        environment["CASELOG_LOG_LEVEL"] = "error"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        self.process = process
    }

    func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
