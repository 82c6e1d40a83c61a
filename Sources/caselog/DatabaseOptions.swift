import ArgumentParser
import CaselogServer
import EventStore
import Foundation
import Logging
import PostgresNIO

/// Options every command that talks to PostgreSQL shares.
struct DatabaseOptions: ParsableArguments {
    /// The embedded cluster's URL for `caselog serve`: the least-privilege service role
    /// (db/service-role.sql, created by scripts/run.sh), never the owner.
    static let embeddedServiceURL = "postgres://caselog_service@127.0.0.1:54329/caselog"

    @Option(
        name: .customLong("database-url"),
        help: "PostgreSQL URL (default: $DATABASE_URL, else the embedded cluster)."
    )
    var explicitDatabaseURL: String?

    /// The URL given by flag or `DATABASE_URL`, else the embedded cluster's as its owner.
    var databaseURL: String { databaseURL(embedded: ServerConfiguration.embeddedDatabaseURL) }

    /// The URL given by flag or `DATABASE_URL`, else `embedded`.
    func databaseURL(embedded: String) -> String {
        explicitDatabaseURL ?? ProcessInfo.processInfo.environment["DATABASE_URL"] ?? embedded
    }

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = ProcessInfo.processInfo.environment["CASELOG_LOG_LEVEL"] ?? "info"

    var logger: Logger {
        var logger = Logger(label: "caselog")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        return logger
    }

    /// The connection pool's own logger: quiet unless debugging, as short commands start it on demand.
    var backgroundLogger: Logger {
        var logger = self.logger
        logger.logLevel = max(logger.logLevel, .error)
        return logger
    }

    /// Runs `body` with a running client for the configured database.
    func withClient<Result: Sendable>(
        maximumConnections: Int = 20,
        _ body: (PostgresClient) async throws -> Result
    ) async throws -> Result {
        var configuration = try DatabaseURL.configuration(from: databaseURL)
        configuration.options.maximumConnections = maximumConnections
        let client = PostgresClient(configuration: configuration, backgroundLogger: backgroundLogger)
        return try await withRunningServices([client]) { try await body(client) }
    }
}
