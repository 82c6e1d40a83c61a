public import Domain
public import EventLog
public import Foundation

/// The state of one client connection: identity, protocol version, name, correlation.
public struct Session: Sendable, Equatable {
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
    /// Set by `CORRELATE id`: the correlation id of the events this connection appends next.
    public var correlationID: String?

    public init(id: Int64, remoteAddress: String, connectedAt: ContinuousClock.Instant = .now) {
        self.id = id
        self.remoteAddress = remoteAddress
        self.connectedAt = connectedAt
    }

    /// Metadata stamped on every event this session appends: who, from which client, in which
    /// correlation, caused by which command, when. `commandID` names the command that caused
    /// the events; it is also the correlation id when the client set none with `CORRELATE`.
    public func serverMetadata(
        commandID: String = UUID.random().lowercasedString,
        serverTime: Timestamp = .now
    ) -> [String: String?] {
        [
            "actor": principal?.user,
            "org": principal?.organization,
            "role": principal?.role.rawValue,
            "client": name,
            "correlation_id": correlationID ?? commandID,
            "causation_id": commandID,
            "server_time": serverTime.iso8601,
        ]
    }
}
