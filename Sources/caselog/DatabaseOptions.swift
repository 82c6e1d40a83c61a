import ArgumentParser
import CaselogServer
import EventStore
import Logging
import PostgresNIO

/// Options every command that talks to PostgreSQL shares; with the environment and the
/// defaults they make the one `ServerConfiguration`.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "PostgreSQL URL (default: $DATABASE_URL, else the embedded cluster).")
    var databaseURL: String?

    @Option(
        help:
            "Log level: trace, debug, info, notice, warning, error, critical (default: $CASELOG_LOG_LEVEL, else info)."
    )
    var logLevel: String?

    func validate() throws {
        if let logLevel, Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level takes trace, debug, info, notice, warning, error or critical")
        }
    }

    /// The configuration: these flags and `flags`, else the environment, else the defaults
    /// (the database: `embedded`, the embedded cluster as its owner unless said otherwise).
    func configuration(
        _ flags: ServerConfiguration.Flags = .init(),
        embedded: String = ServerConfiguration.embeddedDatabaseURL
    ) -> ServerConfiguration {
        var flags = flags
        flags.databaseURL = databaseURL
        flags.logLevel = logLevel.flatMap(Logger.Level.init(rawValue:))
        return ServerConfiguration(flags: flags, embedded: embedded)
    }

    /// Runs `body` with a running client for the configured database.
    func withClient<Result: Sendable>(_ body: (PostgresClient, Logger) async throws -> Result) async throws -> Result {
        let configuration = self.configuration()
        let client = PostgresClient(
            configuration: try DatabaseURL.configuration(from: configuration.databaseURL),
            backgroundLogger: configuration.makePoolLogger()
        )
        return try await withRunningServices([client]) { try await body(client, configuration.makeLogger()) }
    }
}
