public import AdminProtocol
public import Application
public import Domain
public import EventStore
public import HTTPFace
public import Logging
public import PostgresNIO
public import Projections
public import ServiceLifecycle
import TransparencyLog
public import UnixSignals

/// The composition root: the service's parts built from one `ServerConfiguration`, to run in
/// one `ServiceGroup`.
///
/// `caselog serve` builds every part; tests, the demo, the benchmarks and the short commands
/// build the parts they need and stop them with graceful shutdown.
public struct CaselogService: Sendable {
    /// The version the server reports (`HELLO`, `INFO`).
    public static let version = "0.1.0"

    /// The parts built besides the PostgreSQL client and the event store, which are always built.
    public struct Parts: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// The projection workers, and the read models the admin protocol answers from.
        public static let projections = Parts(rawValue: 1 << 0)
        /// The admin protocol's TCP server.
        public static let adminProtocol = Parts(rawValue: 1 << 1)
        /// The Merkle tree builder and checkpoint signer, when a log key is configured.
        public static let transparencyLog = Parts(rawValue: 1 << 2)
        public static let all: Parts = [.projections, .adminProtocol, .transparencyLog]
    }

    public let configuration: ServerConfiguration
    /// The logger every part logs to, at the configuration's level.
    public let logger: Logger
    public let client: PostgresClient
    public let store: EventStore
    /// The projection workers, when built.
    public let projections: ProjectionRunner?
    /// The read models the admin protocol answers from, when the projections are built.
    public let readModels: ProjectionBackend?
    /// The Merkle tree builder and checkpoint signer, when built (a log key is configured).
    public let treeBuilder: TreeBuilder?
    /// The sender of checkpoints to the witnesses, when built (a log key and witnesses are configured).
    public let witnessFeeder: WitnessFeeder?
    /// The tiles over HTTP, when built (a log key and an HTTP port are configured).
    public let tileServer: TileServer?
    /// The admin protocol server, when built.
    public let server: AdminServer?
    /// The services in start order; a `ServiceGroup` stops them in reverse: the server drains
    /// first, then the projections, the writer, the client.
    public let services: [any Service]
    private let listening: ListeningPort
    private let tileListening: ListeningPort

    /// Builds `parts` from `configuration`; nothing runs or connects until the services run.
    /// `today` is the read models' "today" (the domain's clock, in Chicago, unless a test fixes it).
    public init(
        configuration: ServerConfiguration,
        parts: Parts = .all,
        today: @escaping @Sendable () -> ISODate = CommandService.todayInChicago
    ) throws {
        self.configuration = configuration
        logger = configuration.makeLogger()
        var database = try DatabaseURL.configuration(from: configuration.databaseURL)
        database.options.maximumConnections = configuration.maximumDatabaseConnections
        client = PostgresClient(configuration: database, backgroundLogger: configuration.makePoolLogger())
        store = EventStore(client: client, configuration: configuration.eventStore, logger: logger)
        var services: [any Service] = [client, store]
        if parts.contains(.projections) {
            let runner = ProjectionRunner(
                projections: ReadModelCatalog.standard,
                client: client,
                store: store,
                logger: logger
            )
            projections = runner
            readModels = ProjectionBackend(
                runner: runner,
                queries: ReadModelQueries(
                    client: client,
                    runner: runner,
                    logger: logger,
                    waitLimit: configuration.readWait,
                    today: today
                )
            )
            if configuration.runsProjections { services.append(runner) }
        } else {
            projections = nil
            readModels = nil
        }
        if parts.contains(.transparencyLog), let keyFile = configuration.logKeyFile {
            let signer = try LogKeyFile(path: keyFile).read()
            let origin = configuration.logOrigin ?? signer.verifier.name
            guard origin == signer.verifier.name else {
                throw CaselogServiceError(
                    "CASELOG_LOG_ORIGIN \(origin) is not the name of the log key, \(signer.verifier.name): "
                        + "checkpoints are signed by a key named after their origin"
                )
            }
            let builder = TreeBuilder(store: store, signer: signer, origin: origin, logger: logger)
            treeBuilder = builder
            services.append(builder)
            if let policy = try configuration.witnesses?.get() {
                let feeder = WitnessFeeder(policy: policy, store: store, builder: builder, logger: logger)
                witnessFeeder = feeder
                services.append(feeder)
            } else {
                witnessFeeder = nil
            }
        } else {
            treeBuilder = nil
            witnessFeeder = nil
            if parts.contains(.transparencyLog), configuration.witnesses != nil {
                throw CaselogServiceError(
                    "CASELOG_WITNESSES needs a log key (--key or CASELOG_LOG_KEY) to sign checkpoints"
                )
            }
        }
        let tileListening = ListeningPort()
        self.tileListening = tileListening
        if parts.contains(.transparencyLog), configuration.logKeyFile != nil, let tiles = configuration.tileServer {
            let server = TileServer(
                configuration: tiles,
                backend: TreeBackend(store: store, witnessFeeder: witnessFeeder),
                logger: logger,
                onListening: { port in tileListening.resolve(.success(port)) }
            )
            tileServer = server
            services.append(
                ListeningServer(description: "tile server", listening: tileListening) { try await server.run() }
            )
        } else {
            tileServer = nil
            tileListening.resolve(.failure(CaselogServiceError("the tiles are not served by this service")))
        }
        let listening = ListeningPort()
        self.listening = listening
        if parts.contains(.adminProtocol) {
            let server = AdminServer(
                configuration: configuration.adminServer,
                backend: StoreBackend(store: store),
                readModels: readModels,
                transparency: configuration.logKeyFile == nil
                    ? nil : TreeBackend(store: store, witnessFeeder: witnessFeeder),
                version: Self.version,
                logger: logger,
                onListening: { port in listening.resolve(.success(port)) }
            )
            self.server = server
            services.append(
                ListeningServer(description: "admin protocol", listening: listening) { try await server.run() }
            )
        } else {
            server = nil
            listening.resolve(.failure(CaselogServiceError("the admin protocol is not part of this service")))
        }
        self.services = services
    }

    /// The port the admin protocol listens on, once it does: awaited, never polled. Throws when
    /// the server is not built or stopped before it listened.
    public func boundPort() async throws -> Int {
        try await listening.value
    }

    /// The port the tiles are served on over HTTP, once bound; throws when they are not served.
    public func boundTilePort() async throws -> Int {
        try await tileListening.value
    }

    /// A group running `services`, shutting down gracefully on `gracefulShutdownSignals`; a
    /// graceful shutdown that takes longer than the admin protocol's drain limit and 20 s more
    /// (a service stuck starting up, say on a database that does not answer) is escalated to
    /// cancellation, so that the process always ends.
    public func serviceGroup(gracefulShutdownSignals: [UnixSignal] = []) -> ServiceGroup {
        var group = ServiceGroupConfiguration(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: gracefulShutdownSignals,
            logger: logger
        )
        group.maximumGracefulShutdownDuration = configuration.adminServer.drainTimeout + .seconds(20)
        return ServiceGroup(configuration: group)
    }

    /// Runs until SIGTERM or SIGINT; commands already received are answered, appends in flight
    /// committed, before it returns. `onListening` is told the admin protocol's port.
    public func run(onListening: @escaping @Sendable (_ port: Int) -> Void = { _ in }) async throws {
        let group = serviceGroup(gracefulShutdownSignals: [.sigterm, .sigint])
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            if server != nil {
                tasks.addTask {
                    if let port = try? await boundPort() { onListening(port) }
                }
            }
            try await tasks.waitForAll()
        }
    }

    /// Runs the services for the duration of `body`, then shuts them down gracefully and waits
    /// for them to stop: for short commands, tests, the demo and the benchmarks.
    public func withRunning<Result: Sendable>(_ body: (CaselogService) async throws -> Result) async throws -> Result {
        let group = serviceGroup()
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let result: Result
            do {
                result = try await body(self)
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        }
    }
}

/// Runs a server that reports its port through `listening`; settles the port as failed when the
/// server stops before it listened (the admin protocol, the tiles).
struct ListeningServer: Service, CustomStringConvertible {
    let description: String
    let listening: ListeningPort
    let serve: @Sendable () async throws -> Void

    func run() async throws {
        do {
            try await serve()
        } catch {
            listening.resolve(.failure(error))
            throw error
        }
        listening.resolve(.failure(CaselogServiceError("the \(description) stopped before it listened")))
    }
}

/// A part of the service that is not there or did not start.
public struct CaselogServiceError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
