import DatabaseSupport
public import EventStore
import Foundation
public import Logging
public import PostgresNIO

/// A real PostgreSQL database for one test, on the cluster `scripts/test.sh` started.
///
/// Each test gets its own migrated database, so tests run in parallel without sharing a log.
public struct TestDatabase: Sendable {
    /// The superuser URL of the test cluster, from `DATABASE_URL`.
    public static var adminURL: String {
        get throws {
            guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else {
                throw TestEnvironmentError("DATABASE_URL is not set: run the tests with scripts/test.sh")
            }
            return url
        }
    }

    /// The migrations of this checkout.
    public static var migrator: Migrator {
        get throws {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            return try Migrator(directory: root.appendingPathComponent("db/migrations"))
        }
    }

    public static let logger: Logger = {
        var logger = Logger(label: "caselog.tests")
        logger.logLevel = .error
        return logger
    }()

    /// A client connected to this test's database, running.
    public let client: PostgresClient
    /// How to connect to this test's database, e.g. from another process or as another role.
    public let configuration: PostgresClient.Configuration
    /// The URL of this test's database, for a subprocess or a service of its own.
    public let url: String

    /// Runs `body` with a fresh migrated database, dropped afterwards.
    public static func with<Result: Sendable>(_ body: (TestDatabase) async throws -> Result) async throws -> Result {
        try await ScratchDatabase.with(adminURL: adminURL, prefix: "caselog_test", migrator: migrator, logger: logger) {
            scratch in
            try await body(TestDatabase(client: scratch.client, configuration: scratch.configuration, url: scratch.url))
        }
    }

    /// Runs `body` with an event store (writer running) on a fresh database.
    public static func withEventStore<Result: Sendable>(
        configuration: EventStore.Configuration = .init(),
        _ body: (EventStore, TestDatabase) async throws -> Result
    ) async throws -> Result {
        try await with { database in
            let store = EventStore(client: database.client, configuration: configuration, logger: logger)
            return try await withRunningServices([store]) {
                try await body(store, database)
            }
        }
    }
}

extension TestDatabase {
    /// Makes this database refuse connections and drops the open ones (as when PostgreSQL goes
    /// away), or lets connections in again.
    public func setAcceptingConnections(_ accepting: Bool) async throws {
        let name = configuration.database ?? ""
        let admin = PostgresClient(configuration: try DatabaseURL.configuration(from: Self.adminURL))
        try await withRunningServices([admin]) {
            try await admin.query(
                PostgresQuery(unsafeSQL: "ALTER DATABASE \(name) ALLOW_CONNECTIONS \(accepting)"),
                logger: Self.logger
            )
            if !accepting {
                try await admin.query(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = \(name)",
                    logger: Self.logger
                )
            }
        }
    }
}

/// The test environment is missing something the tests need.
public struct TestEnvironmentError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
