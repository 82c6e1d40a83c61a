public import Domain
public import EventLog
public import Foundation

/// The state of one client connection: identity, protocol version, name, correlation.
public struct Session: Sendable {
    public let id: Int64
    public let remoteAddress: String
    public let connectedAt: ContinuousClock.Instant
    public var name: String?
    public var protocolVersion: RESPProtocolVersion = .resp2
    public var principal: Principal?
    public var libraryName: String?
    public var libraryVersion: String?
    /// The last command name, for `CLIENT LIST`.
    public var lastCommand = ""

    public init(id: Int64, remoteAddress: String, connectedAt: ContinuousClock.Instant = .now) {
        self.id = id
        self.remoteAddress = remoteAddress
        self.connectedAt = connectedAt
    }

    /// Metadata stamped on every event this session appends: who, from which client, in which
    /// correlation, when. A new correlation id is made when the client gave none.
    public func serverMetadata(
        correlationID: String = UUID().uuidString.lowercased(),
        causationID: String? = nil,
        serverTime: Timestamp = .now
    ) -> [String: String?] {
        [
            "actor": principal?.user,
            "org": principal?.organization,
            "role": principal?.role.rawValue,
            "client": name,
            "correlation_id": correlationID,
            "causation_id": causationID,
            "server_time": serverTime.iso8601,
        ]
    }
}
