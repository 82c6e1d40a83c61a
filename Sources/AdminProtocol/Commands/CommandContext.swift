public import Application
public import Domain
import Foundation
import Synchronization

/// The services every command can reach: the backend, the command table, the live connections.
public final class CommandContext: Sendable {
    public let backend: any AdminBackend
    public let table: CommandTable
    public let connections: ConnectionRegistry
    public let serverInfo: ServerInfo
    /// The read models, when the server runs projections.
    public let readModels: (any ReadModelBackend)?
    /// Today's date in Chicago, where the initiative runs (replaceable in tests).
    public let today: @Sendable () -> ISODate
    /// The histories of streams the domain commands wrote recently.
    public let histories = StreamHistoryCache()

    public init(
        backend: any AdminBackend,
        table: CommandTable,
        connections: ConnectionRegistry,
        serverInfo: ServerInfo,
        readModels: (any ReadModelBackend)? = nil,
        today: @escaping @Sendable () -> ISODate = CommandContext.todayInChicago
    ) {
        self.backend = backend
        self.table = table
        self.connections = connections
        self.serverInfo = serverInfo
        self.readModels = readModels
        self.today = today
    }

    /// Today's date on Chicago's wall clock, which decides what "today" and "overdue" mean.
    @Sendable public static func todayInChicago() -> ISODate {
        ISODate(Date(), timeZone: .chicago)
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
