public import Domain
public import EventLog

/// Where an event sits in the log, for the lineage every read-model row carries.
public struct EventOrigin: Sendable, Hashable {
    public let position: LogPosition
    public let eventID: String
    public let stream: String
    /// The calendar date the event was recorded on (Chicago).
    public let recordedOn: ISODate

    public init(position: LogPosition, eventID: String, stream: String, recordedOn: ISODate) {
        self.position = position
        self.eventID = eventID
        self.stream = stream
        self.recordedOn = recordedOn
    }
}

/// One read-model row per entity, folded from that entity's events; pure, so the same fold
/// serves live catch-up, rebuilds and tests.
public protocol ReadModelRow: Codable, Sendable, Equatable {
    /// The prefix of the event types that can change rows (`Commitment` of `CommitmentMade`…);
    /// other events are not even decoded.
    static var eventTypePrefix: String { get }
    /// The key of the row `event` changes, or nil when this read model ignores the event.
    static func key(of event: DomainEvent, origin: EventOrigin) -> String?
    /// The row after `event`; `current` is nil before the entity's first event.
    static func applying(_ event: DomainEvent, to current: Self?, origin: EventOrigin) -> Self?
}

extension ReadModelRow {
    /// The id part of an entity stream name (`commitment-<uuid>` → `<uuid>`).
    static func entityID(_ stream: String) -> String {
        String(stream.drop { $0 != "-" }.dropFirst())
    }
}
