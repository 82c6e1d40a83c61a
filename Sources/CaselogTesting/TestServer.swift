public import AdminProtocol
public import Application
public import CaselogServer
public import Domain
public import EventStore
import Foundation
import HTTPFace

/// The real admin protocol server on a free port, over a fresh test database.
public struct TestServer: Sendable {
    public let port: Int
    public let store: EventStore
    public let database: TestDatabase
    /// The token of `admin`, an admin user created for the test.
    public let adminToken: String
    /// The Merkle tree builder and checkpoint signer, when the server was given a log key.
    public let treeBuilder: TreeBuilder?
    /// The HTTP port of the log's tiles, when served.
    public let tilePort: Int?
    /// The sender of checkpoints to the witnesses, when the server was given witnesses.
    public let witnessFeeder: WitnessFeeder?

    /// Runs `body` with a running server, built by the service's composition root and stopped
    /// with graceful shutdown; `configure` adjusts its configuration (the port is always free).
    /// With `readModels` the projections run too, and "today" comes from `today`; with `logKeyFile`
    /// the Merkle tree builder signs checkpoints with that key, and with `tiles` too the tiles are
    /// served over HTTP on a free port, and with `witnesses` each checkpoint is sent to them.
    /// With `database` it runs on that database (e.g. a second time, as after a restart) instead
    /// of a fresh one.
    public static func with<Result: Sendable>(
        database existing: TestDatabase? = nil,
        store storeConfiguration: EventStore.Configuration = .init(),
        readModels: Bool = false,
        logKeyFile: String? = nil,
        tiles: Bool = false,
        witnesses: WitnessPolicy? = nil,
        today: @escaping @Sendable () -> ISODate = CommandService.todayInChicago,
        configure: (inout AdminServer.Configuration) -> Void = { _ in },
        _ body: (TestServer) async throws -> Result
    ) async throws -> Result {
        if let existing {
            return try await run(on: existing)
        }
        return try await TestDatabase.with { database in try await run(on: database) }

        func run(on database: TestDatabase) async throws -> Result {
            var configuration = ServerConfiguration(databaseURL: database.url)
            configuration.logLevel = TestDatabase.logger.logLevel
            configuration.eventStore = storeConfiguration
            configuration.adminServer.port = 0
            // A read waits for its projection; on a machine loaded by the rest of the suite
            // catching up has taken longer than the service's 5 s.
            configuration.readWait = .seconds(30)
            configuration.logKeyFile = logKeyFile
            if tiles {
                configuration.tileServer = TileServer.Configuration(port: 0)
            }
            configuration.witnesses = witnesses.map { .success($0) }
            configure(&configuration.adminServer)
            let service = try CaselogService(
                configuration: configuration,
                parts: readModels ? .all : [.adminProtocol, .transparencyLog],
                today: today
            )
            return try await service.withRunning { service in
                // On a database used before, "admin" exists: a new admin of another name.
                let name = existing == nil ? "admin" : "admin-\(UUID().uuidString.prefix(8).lowercased())"
                let admin = try await AccessService(backend: StoreBackend(store: service.store)).add(
                    UserName(name),
                    role: .admin,
                    organization: nil,
                    metadata: #"{"actor":"tests"}"#
                )
                let server = TestServer(
                    port: try await service.boundPort(),
                    store: service.store,
                    database: database,
                    adminToken: admin.text,
                    treeBuilder: service.treeBuilder,
                    tilePort: tiles ? try await service.boundTilePort() : nil,
                    witnessFeeder: service.witnessFeeder
                )
                return try await body(server)
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
