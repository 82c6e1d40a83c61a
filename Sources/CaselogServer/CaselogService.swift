import EventStore
public import Logging
import PostgresNIO
import ServiceLifecycle

/// The running service: the PostgreSQL client, the event store's writer, and (for now) a
/// readiness report, in one `ServiceGroup` that shuts down gracefully on SIGTERM and SIGINT.
public struct CaselogService: Sendable {
    public let configuration: ServerConfiguration
    public let logger: Logger

    public init(configuration: ServerConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs until a termination signal; appends in flight are committed before it returns.
    public func run() async throws {
        var database = try DatabaseURL.configuration(from: configuration.databaseURL)
        database.options.maximumConnections = configuration.maximumDatabaseConnections
        let client = PostgresClient(configuration: database, backgroundLogger: logger)
        let store = EventStore(client: client, configuration: configuration.eventStore, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: client),
                    .init(service: store),
                    .init(service: ReadinessReport(store: store, logger: logger)),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}

/// Logs once that the log is reachable and where its head is, then idles until shutdown.
struct ReadinessReport: Service {
    let store: EventStore
    let logger: Logger

    func run() async throws {
        let head = try await store.head()
        logger.info("caselog ready", metadata: ["log.head": "\(head.position)"])
        try? await gracefulShutdown()
    }
}
