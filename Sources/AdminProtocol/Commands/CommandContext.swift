public import Application
public import Domain
import Synchronization

/// What every command can reach: the application's services, the log, the command table, the live connections.
public final class CommandContext: Sendable {
    /// The event log, for the raw log commands (`STREAM …`, `LOG …`).
    public let backend: any AdminBackend
    public let commands: CommandService
    public let queries: QueryService
    public let access: AccessService
    public let table: CommandTable
    public let connections: ConnectionRegistry
    public let serverInfo: ServerInfo
    /// The transparency log's checkpoints and proofs, when the server signs checkpoints.
    public let transparency: (any TransparencyBackend)?

    /// A context whose services work on `backend` and, when the server runs projections, `readModels`;
    /// "today" comes from `today`.
    public init(
        backend: any AdminBackend,
        table: CommandTable,
        connections: ConnectionRegistry,
        serverInfo: ServerInfo,
        readModels: (any ReadModelBackend)? = nil,
        transparency: (any TransparencyBackend)? = nil,
        today: @escaping @Sendable () -> ISODate = CommandService.todayInChicago
    ) {
        self.backend = backend
        self.commands = CommandService(backend: backend, today: today)
        self.queries = QueryService(backend: backend, readModels: readModels)
        self.access = AccessService(backend: backend)
        self.table = table
        self.connections = connections
        self.serverInfo = serverInfo
        self.transparency = transparency
    }
}

/// Facts about the running server that `INFO` reports.
public struct ServerInfo: Sendable {
    public var version: String
    public var port: Int
    public let startedAt: ContinuousClock.Instant

    public init(version: String, port: Int, startedAt: ContinuousClock.Instant = .now) {
        self.version = version
        self.port = port
        self.startedAt = startedAt
    }
}

/// The live connections' sessions, for `CLIENT LIST`, `INFO clients` and the connection limit.
public final class ConnectionRegistry: Sendable {
    private let sessions = Mutex<[Int64: Session]>([:])
    private let nextID = Atomic<Int64>(0)

    public init() {}

    /// A new connection id, unique for the life of the server.
    public func makeID() -> Int64 { nextID.wrappingAdd(1, ordering: .relaxed).newValue }

    public func update(_ session: Session) { sessions.withLock { $0[session.id] = session } }
    public func remove(_ id: Int64) { _ = sessions.withLock { $0.removeValue(forKey: id) } }
    public var count: Int { sessions.withLock { $0.count } }
    public var all: [Session] { sessions.withLock { $0.values.sorted { $0.id < $1.id } } }
}
