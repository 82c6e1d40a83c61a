public import AdminProtocol
public import EventStore
public import Foundation
public import HTTPFace
public import Logging

/// Everything the service needs, read from flags, `DATABASE_URL` and `CASELOG_*` in one place.
public struct ServerConfiguration: Sendable {
    /// The embedded cluster `scripts/run.sh` starts, used when `DATABASE_URL` is not set.
    public static let embeddedDatabaseURL = "postgres://postgres@127.0.0.1:54329/caselog"
    /// The embedded cluster as the least-privilege service role (db/service-role.sql, made by
    /// scripts/run.sh): what `caselog serve` connects as unless told otherwise, never the owner.
    public static let embeddedServiceURL = "postgres://caselog_service@127.0.0.1:54329/caselog"

    /// The PostgreSQL database holding the log.
    public var databaseURL: String
    /// Limits and batching of the event store.
    public var eventStore = EventStore.Configuration()
    /// Connections the service keeps to PostgreSQL at most.
    public var maximumDatabaseConnections = 20
    /// The admin protocol's listen address, client limits and request bounds.
    public var adminServer = AdminServer.Configuration()
    /// The least severe messages the service logs.
    public var logLevel: Logger.Level = .info
    /// The folder of migrations `caselog migrate` applies; nil: `db/migrations`, found upwards.
    public var migrationsDirectory: String?
    /// The transparency log's signing key file; nil: no Merkle tree is built and no checkpoint signed.
    public var logKeyFile: String?
    /// The checkpoints' origin line; nil: the key's name, which it must equal when given.
    public var logOrigin: String?
    /// Where the log's tiles are served over HTTP; nil: not served (they need a log key too).
    public var tileServer: TileServer.Configuration?
    /// The witnesses each signed checkpoint is sent to, and their quorum; nil: none. A failure
    /// when `CASELOG_WITNESSES` or `CASELOG_WITNESS_QUORUM` cannot be read, reported when the
    /// service is built.
    public var witnesses: Result<WitnessPolicy, CaselogServiceError>?
    /// Whether this process runs the projection workers. Off, it still answers read-model queries
    /// from the tables another process's workers keep (one worker per read model is active
    /// across processes anyway).
    public var runsProjections = true
    /// The longest a read with `AFTER` waits for its read model to reach the position asked for
    /// before it is answered `UNAVAILABLE`.
    public var readWait: Duration = .seconds(5)

    public init(databaseURL: String = embeddedDatabaseURL) {
        self.databaseURL = databaseURL
    }

    /// Values given on the command line; each one given wins over the environment.
    public struct Flags: Sendable {
        public var databaseURL: String?
        public var logLevel: Logger.Level?
        public var host: String?
        public var port: Int?
        public var migrationsDirectory: String?
        public var logKeyFile: String?
        public var httpPort: Int?
        public var runsProjections: Bool?

        public init(
            databaseURL: String? = nil,
            logLevel: Logger.Level? = nil,
            host: String? = nil,
            port: Int? = nil,
            migrationsDirectory: String? = nil,
            runsProjections: Bool? = nil,
            logKeyFile: String? = nil,
            httpPort: Int? = nil
        ) {
            self.databaseURL = databaseURL
            self.logLevel = logLevel
            self.host = host
            self.port = port
            self.migrationsDirectory = migrationsDirectory
            self.logKeyFile = logKeyFile
            self.httpPort = httpPort
            self.runsProjections = runsProjections
        }
    }

    /// The configuration from `flags`, else `DATABASE_URL` and the `CASELOG_*` variables the
    /// README documents in `environment`, else the defaults (the database: `embedded`).
    /// Unreadable variables keep the default.
    public init(
        flags: Flags = .init(),
        environment: [String: String] = ProcessInfo.processInfo.environment,
        embedded: String = embeddedDatabaseURL
    ) {
        self.init(databaseURL: flags.databaseURL ?? environment["DATABASE_URL"] ?? embedded)
        if let level = flags.logLevel ?? environment["CASELOG_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) {
            logLevel = level
        }
        migrationsDirectory = flags.migrationsDirectory ?? environment["CASELOG_MIGRATIONS"]
        logKeyFile = flags.logKeyFile ?? environment["CASELOG_LOG_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        logOrigin = environment["CASELOG_LOG_ORIGIN"].flatMap { $0.isEmpty ? nil : $0 }
        if let port = flags.httpPort ?? environment["CASELOG_HTTP_PORT"].flatMap(Int.init) {
            var tiles = TileServer.Configuration(port: port)
            if let host = environment["CASELOG_HTTP_HOST"].flatMap({ $0.isEmpty ? nil : $0 }) { tiles.host = host }
            tileServer = tiles
        }
        if let list = environment["CASELOG_WITNESSES"], !list.isEmpty {
            witnesses = Result { () throws(CaselogServiceError) in
                try WitnessPolicy(parsing: list, quorum: environment["CASELOG_WITNESS_QUORUM"])
            }
        }
        if let bytes = environment["CASELOG_MAX_EVENT_BYTES"].flatMap(Int.init) {
            eventStore.maxEventBytes = bytes
        }
        if let timeout = Self.duration(environment["CASELOG_DATABASE_TIMEOUT"]) {
            eventStore.databaseTimeout = timeout
        }
        if let wait = Self.duration(environment["CASELOG_READ_WAIT"]) { readWait = wait }
        if let host = flags.host ?? environment["CASELOG_HOST"] { adminServer.host = host }
        if let port = flags.port ?? environment["CASELOG_PORT"].flatMap(Int.init) { adminServer.port = port }
        if let count = environment["CASELOG_MAX_CONNECTIONS"].flatMap(Int.init) {
            adminServer.maxConnections = count
        }
        if let seconds = environment["CASELOG_IDLE_TIMEOUT"].flatMap(Int.init) {
            adminServer.idleTimeout = seconds > 0 ? .seconds(seconds) : nil
        }
        if let bytes = environment["CASELOG_MAX_REQUEST_BYTES"].flatMap(Int.init) {
            adminServer.limits.maxRequestBytes = bytes
        }
        if let runs = flags.runsProjections ?? environment["CASELOG_PROJECTIONS"].map({ $0.lowercased() != "off" }) {
            runsProjections = runs
        }
    }

    /// A positive number of seconds, fractions allowed; nil when absent or unreadable.
    private static func duration(_ seconds: String?) -> Duration? {
        guard let seconds = seconds.flatMap(Double.init), seconds > 0 else { return nil }
        return .milliseconds(Int64(seconds * 1000))
    }

    /// A logger at `logLevel`: the one every part of the service logs to.
    public func makeLogger(label: String = "caselog") -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = logLevel
        return logger
    }

    /// The connection pool's own logger: errors only unless debugging, since the store and the
    /// projections report an unreachable database themselves, and short commands query while the
    /// pool is still starting.
    public func makePoolLogger() -> Logger {
        var logger = makeLogger()
        if logLevel > .debug { logger.logLevel = max(logLevel, .error) }
        return logger
    }

    /// The migrations folder: `migrationsDirectory`, else `db/migrations` found upwards from the
    /// working directory or the executable.
    public func migrations() throws -> Migrator {
        try Migrator(directory: migrationsDirectory.map { URL(fileURLWithPath: $0) } ?? Migrator.locateDirectory())
    }
}
