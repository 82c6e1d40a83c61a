public import Application
public import Domain

/// The state of one client connection: identity, protocol version, name, correlation.
public struct Session: Sendable {
    public let id: Int64
    public let remoteAddress: String
    public let connectedAt: ContinuousClock.Instant
    public var name: String?
    public var protocolVersion: RESPProtocolVersion = .resp2
    public var principal: Principal?
    /// What `principal` was resolved from, when the connection authenticated with a token; the
    /// dispatcher resolves it again when access may have changed (see `AccessService`).
    public var grant: AccessService.Grant?
    public var libraryName: String?
    public var libraryVersion: String?
    /// The last command name, for `CLIENT LIST`.
    public var lastCommand = ""
    /// Set by `CORRELATE id`: the correlation id of the events this connection appends next.
    public var correlationID: String?
    /// The pub/sub channels the connection is subscribed to (`SUBSCRIBE`).
    public var subscriptions = Subscriptions()
    /// The commands queued since `MULTI`, until `EXEC` or `DISCARD`; nil outside a transaction.
    public var transaction: Transaction?

    public init(id: Int64, remoteAddress: String, connectedAt: ContinuousClock.Instant = .now) {
        self.id = id
        self.remoteAddress = remoteAddress
        self.connectedAt = connectedAt
    }

    /// Acts as `grant`'s principal from now on; nil: as no one.
    public mutating func authenticate(as grant: AccessService.Grant?) {
        self.grant = grant
        principal = grant?.principal
    }

    /// Who runs this connection's commands, for the application's services.
    public var caller: Caller {
        Caller(principal: principal, clientName: name, correlationID: correlationID)
    }
}
