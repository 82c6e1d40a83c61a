public import AdminProtocol
public import Application
import CaselogServer
public import Domain
public import EventStore
import Projections

/// The real admin protocol server on a free port, over a fresh test database.
public struct TestServer: Sendable {
    public let port: Int
    public let store: EventStore
    public let database: TestDatabase
    /// The token of `admin`, an admin user created for the test.
    public let adminToken: String

    /// Runs `body` with a running server; `configure` adjusts its configuration (the port is always free).
    /// With `readModels` the projections run too, and "today" comes from `today`.
    public static func with<Result: Sendable>(
        store storeConfiguration: EventStore.Configuration = .init(),
        readModels: Bool = false,
        today: @escaping @Sendable () -> ISODate = CommandService.todayInChicago,
        configure: (inout AdminServer.Configuration) -> Void = { _ in },
        _ body: (TestServer) async throws -> Result
    ) async throws -> Result {
        try await TestDatabase.withEventStore(configuration: storeConfiguration) { store, database in
            let backend = StoreBackend(store: store)
            let admin = try await AccessService(backend: backend).add(
                UserName("admin"),
                role: .admin,
                organization: nil,
                metadata: #"{"actor":"tests"}"#
            )
            var configuration = AdminServer.Configuration()
            configuration.port = 0
            configure(&configuration)
            let runner = ProjectionRunner(
                projections: ReadModelCatalog.standard,
                client: database.client,
                store: store,
                logger: TestDatabase.logger
            )
            let server = AdminServer(
                configuration: configuration,
                backend: backend,
                readModels: readModels
                    ? ProjectionBackend(
                        runner: runner,
                        queries: ReadModelQueries(
                            client: database.client,
                            runner: runner,
                            logger: TestDatabase.logger,
                            today: today
                        )
                    ) : nil,
                version: CaselogService.version,
                logger: TestDatabase.logger
            )
            return try await withRunningServices(readModels ? [runner, server] : [server]) {
                let port = await server.boundPort
                return try await body(TestServer(port: port, store: store, database: database, adminToken: admin.text))
            }
        }
    }

    /// A token for a new user `name` with `role` (and organization, for coordinators).
    public func token(for name: String, role: Role, organization: String? = nil) async throws -> String {
        try await AccessService(backend: StoreBackend(store: store)).add(
            UserName(name),
            role: role,
            organization: organization,
            metadata: #"{"actor":"tests"}"#
        ).text
    }

    /// Runs `body` on a new connection, authenticated with `token` when one is given.
    public func withClient<Result>(token: String? = nil, _ body: (RESPTestClient) async throws -> Result) async throws
        -> Result
    {
        try await RESPTestClient.with(port: port) { client in
            if let token {
                let reply = try await client.command("AUTH", token)
                guard reply == .ok else { throw TestEnvironmentError("AUTH failed: \(reply)") }
            }
            return try await body(client)
        }
    }
}
