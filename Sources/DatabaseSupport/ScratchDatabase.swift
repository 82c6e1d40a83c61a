public import EventStore
import Foundation
public import Logging
public import PostgresNIO

/// A throwaway database on the server behind an admin URL: created, migrated, used, dropped.
///
/// Tests and benchmarks use one each, so they never touch a real log or each other.
public struct ScratchDatabase: Sendable {
    /// A client connected to the database, running.
    public let client: PostgresClient
    /// How to connect to the database.
    public let configuration: PostgresClient.Configuration
    /// The database's URL: the admin URL's server and credentials, this database.
    public let url: String

    /// Creates a fresh database named `<prefix>_<random>`, applies the migrations, runs `body`
    /// with it (its client already running), then drops the database.
    public static func with<Result: Sendable>(
        adminURL: String,
        prefix: String = "caselog_scratch",
        migrator: Migrator,
        logger: Logger,
        maximumConnections: Int = 20,
        _ body: (ScratchDatabase) async throws -> Result
    ) async throws -> Result {
        let adminConfiguration = try DatabaseURL.configuration(from: adminURL)
        let admin = PostgresClient(configuration: adminConfiguration, backgroundLogger: logger)
        let name = "\(prefix)_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased())"
        var components = URLComponents(string: adminURL)
        components?.path = "/\(name)"
        let url = components?.string ?? adminURL
        return try await withRunningServices([admin]) {
            try await admin.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
            do {
                var configuration = adminConfiguration
                configuration.database = name
                configuration.options.maximumConnections = maximumConnections
                let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
                let result = try await withRunningServices([client]) {
                    try await migrator.migrate(client: client, logger: logger)
                    return try await body(ScratchDatabase(client: client, configuration: configuration, url: url))
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
