public import AdminProtocol
public import EventStore
public import Foundation
public import Logging

/// Everything `caselog serve` needs, filled from flags and `CASELOG_*` / `DATABASE_URL` in one place.
public struct ServerConfiguration: Sendable {
    /// The embedded cluster `scripts/run.sh` starts, used when `DATABASE_URL` is not set.
    public static let embeddedDatabaseURL = "postgres://postgres@127.0.0.1:54329/caselog"

    /// The PostgreSQL database holding the log.
    public var databaseURL: String
    /// Limits and batching of the event store.
    public var eventStore = EventStore.Configuration()
    /// Connections the service keeps to PostgreSQL at most.
    public var maximumDatabaseConnections = 20
    /// The admin protocol's listen address, client limits and request bounds.
    public var adminServer = AdminServer.Configuration()
    public var logLevel: Logger.Level = .info

    public init(databaseURL: String) {
        self.databaseURL = databaseURL
    }

    /// Reads `DATABASE_URL` and the `CASELOG_*` variables documented in the README from `environment`.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Self {
        var configuration = Self(databaseURL: environment["DATABASE_URL"] ?? embeddedDatabaseURL)
        if let level = environment["CASELOG_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) {
            configuration.logLevel = level
        }
        if let bytes = environment["CASELOG_MAX_EVENT_BYTES"].flatMap(Int.init) {
            configuration.eventStore.maxEventBytes = bytes
        }
        if let seconds = environment["CASELOG_DATABASE_TIMEOUT"].flatMap(Double.init), seconds > 0 {
            configuration.eventStore.databaseTimeout = .milliseconds(Int64(seconds * 1000))
        }
        if let host = environment["CASELOG_HOST"] { configuration.adminServer.host = host }
        if let port = environment["CASELOG_PORT"].flatMap(Int.init) { configuration.adminServer.port = port }
        if let count = environment["CASELOG_MAX_CONNECTIONS"].flatMap(Int.init) {
            configuration.adminServer.maxConnections = count
        }
        if let seconds = environment["CASELOG_IDLE_TIMEOUT"].flatMap(Int.init) {
            configuration.adminServer.idleTimeout = seconds > 0 ? .seconds(seconds) : nil
        }
        if let bytes = environment["CASELOG_MAX_REQUEST_BYTES"].flatMap(Int.init) {
            configuration.adminServer.limits.maxRequestBytes = bytes
        }
        return configuration
    }
}
