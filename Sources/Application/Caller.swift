public import Domain
public import EventLog
public import Foundation

/// Who runs a request: the authenticated user (if any), the client's name and the correlation the
/// client chose. Every event the application appends is stamped with it (see `metadata`).
public struct Caller: Sendable, Hashable {
    public var principal: Principal?
    /// The client's name (`CLIENT SETNAME`), recorded as the `client` of its events.
    public var clientName: String?
    /// The correlation id the client chose (`CORRELATE`); nil: each command is its own correlation.
    public var correlationID: String?

    public init(principal: Principal?, clientName: String? = nil, correlationID: String? = nil) {
        self.principal = principal
        self.clientName = clientName
        self.correlationID = correlationID
    }

    /// Metadata stamped on every event this caller appends: who, from which client, in which
    /// correlation, caused by which command, when. `commandID` names the command that caused
    /// the events; it is also the correlation id when the caller set none.
    public func metadata(
        commandID: String = UUID.random().lowercasedString,
        serverTime: Timestamp = .now
    ) -> [String: String?] {
        [
            "actor": principal?.user,
            "org": principal?.organization,
            "role": principal?.role.rawValue,
            "client": clientName,
            "correlation_id": correlationID ?? commandID,
            "causation_id": commandID,
            "server_time": serverTime.iso8601,
        ]
    }

    /// `metadata()` for a new command, as the JSON object text events carry.
    public func metadataText() -> String {
        CanonicalJSON.object(metadata())
    }
}
