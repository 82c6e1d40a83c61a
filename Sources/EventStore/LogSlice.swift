public import EventLog

/// Events read from the log for a reader of some event types, and how far the read covered:
/// no event of those types lies between the events and `through`.
public struct LogSlice: Sendable {
    public let events: [RecordedEvent]
    /// The last position the read covered (the position before it when it covered none).
    public let through: LogPosition

    public init(events: [RecordedEvent], through: LogPosition) {
        self.events = events
        self.through = through
    }
}
