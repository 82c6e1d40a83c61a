public import EventLog
public import Logging
public import PostgresNIO

/// A named fold of the whole log into PostgreSQL tables of its own schema.
///
/// The runtime calls `apply` with consecutive events inside the transaction that also moves
/// the projection's checkpoint; a rebuild calls the same methods on a fresh schema.
public protocol Projection: Sendable {
    /// Stable name: checkpoint key, lock key, the name operators use.
    var name: String { get }
    /// The event types it applies, as type-name prefixes (`"Commitment"`); nil for every event.
    /// The worker reads only those events, and moves the checkpoint past the others unread.
    var eventTypePrefixes: [String]? { get }
    /// Statements creating the projection's tables in `schema` (which exists and is empty).
    func createStatements(schema: String) -> [String]
    /// Statements bringing tables an earlier version created in `schema` up to date, e.g. indexes
    /// added since; each does nothing when there is nothing to do. The worker runs them on start.
    func upgradeStatements(schema: String) -> [String]
    /// Applies `events` (consecutive positions; most may be of no interest) to the tables in `schema`.
    /// Throws `ProjectionFailure` naming the event it cannot apply.
    func apply(_ events: [RecordedEvent], schema: String, on connection: PostgresConnection, logger: Logger)
        async throws
}

extension Projection {
    /// The schema of the live tables.
    public var schema: String { "rm_\(name)" }
    /// The schema a rebuild fills before it is swapped in.
    public var rebuildSchema: String { "rm_\(name)_next" }
    /// Every event, unless the projection names the types it applies.
    public var eventTypePrefixes: [String]? { nil }
    /// Nothing to upgrade, unless the projection says so.
    public func upgradeStatements(schema: String) -> [String] { [] }
    /// A fingerprint of the statements that create the tables: tables made by other statements
    /// (an older version's) are dropped and rebuilt from position 0.
    public var shape: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in createStatements(schema: "s").joined(separator: ";").utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return "caselog shape " + String(hash, radix: 16)
    }
}

/// An event a projection cannot apply: it stops there and says so; it never skips it unless an
/// admin decides so (`PROJECTION SKIP`).
public struct ProjectionFailure: Error, CustomStringConvertible {
    public let position: LogPosition
    public let eventID: String
    public let reason: String

    public init(position: LogPosition, eventID: String, reason: String) {
        self.position = position
        self.eventID = eventID
        self.reason = reason
    }

    public var description: String { "event \(eventID) at position \(position): \(reason)" }
}
