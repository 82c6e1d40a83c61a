import AdminProtocol
import Application
import EventStore
public import Logging
import PostgresNIO
import Projections
import ServiceLifecycle

/// The running service: the PostgreSQL client, the event store's writer and the admin protocol
/// server, in one `ServiceGroup` that shuts down gracefully on SIGTERM and SIGINT.
public struct CaselogService: Sendable {
    /// The version the server reports (`HELLO`, `INFO`).
    public static let version = "0.1.0"

    public let configuration: ServerConfiguration
    public let logger: Logger

    public init(configuration: ServerConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs until a termination signal; commands already received are answered, appends in
    /// flight committed, before it returns. `onListening` is told the protocol's port.
    public func run(onListening: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        var database = try DatabaseURL.configuration(from: configuration.databaseURL)
        database.options.maximumConnections = configuration.maximumDatabaseConnections
        let client = PostgresClient(configuration: database, backgroundLogger: logger)
        let store = EventStore(client: client, configuration: configuration.eventStore, logger: logger)
        let runner = ProjectionRunner(
            projections: ReadModelCatalog.standard,
            client: client,
            store: store,
            logger: logger
        )
        let server = AdminServer(
            configuration: configuration.adminServer,
            backend: StoreBackend(store: store),
            readModels: ProjectionBackend(
                runner: runner,
                queries: ReadModelQueries(
                    client: client,
                    runner: runner,
                    logger: logger,
                    today: CommandService.todayInChicago
                )
            ),
            version: Self.version,
            logger: logger
        )
        // Services stop in reverse order: the server drains first, then the projections, the writer, the client.
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: client),
                    .init(service: store),
                    .init(service: runner),
                    .init(service: server),
                    .init(service: ListeningReport(server: server, onListening: onListening)),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}

/// Tells the caller the bound port once the server listens, then idles until shutdown.
struct ListeningReport: Service {
    let server: AdminServer
    let onListening: @Sendable (Int) -> Void

    func run() async throws {
        onListening(await server.boundPort)
        try? await gracefulShutdown()
    }
}
