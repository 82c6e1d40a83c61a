import Foundation
public import Logging
public import PostgresNIO

/// A throwaway database on the server behind an admin URL: created, migrated, used, dropped.
///
/// Tests and benchmarks use one each, so they never touch a real log or each other.
public enum ScratchDatabase {
    /// Creates a fresh database named `<prefix>_<random>`, applies the migrations, runs `body`
    /// with a client connected to it (already running), then drops the database.
    public static func with<Result: Sendable>(
        adminURL: String,
        prefix: String = "caselog_scratch",
        migrator: Migrator,
        logger: Logger,
        maximumConnections: Int = 20,
        _ body: (PostgresClient, PostgresClient.Configuration) async throws -> Result
    ) async throws -> Result {
        let adminConfiguration = try DatabaseURL.configuration(from: adminURL)
        let admin = PostgresClient(configuration: adminConfiguration, backgroundLogger: logger)
        let name = "\(prefix)_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased())"
        return try await withRunningServices([admin]) {
            try await admin.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
            do {
                var configuration = adminConfiguration
                configuration.database = name
                configuration.options.maximumConnections = maximumConnections
                let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
                let result = try await withRunningServices([client]) {
                    try await migrator.migrate(client: client, logger: logger)
                    return try await body(client, configuration)
                }
                try await drop(name, using: admin, logger: logger)
                return result
            } catch {
                try? await drop(name, using: admin, logger: logger)
                throw error
            }
        }
    }

    private static func drop(_ name: String, using admin: PostgresClient, logger: Logger) async throws {
        try await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
    }
}
