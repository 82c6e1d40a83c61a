public import Application
public import EventLog
public import EventStore

/// The application's event-log port (`AdminBackend`) over the PostgreSQL event store.
public struct StoreBackend: AdminBackend {
    public let store: EventStore

    public init(store: EventStore) {
        self.store = store
    }

    public func append(
        to stream: StreamName,
        expected: ExpectedVersion,
        events: [NewEvent],
        preconditions: [StreamPrecondition]
    ) async throws(EventLogError) -> AppendResult {
        try await store.append(to: stream, expected: expected, events: events, preconditions: preconditions)
    }

    public func append(atomically requests: [AppendRequest]) async throws(EventLogError) -> [AppendResult] {
        try await store.append(atomically: requests)
    }

    public func read(stream: StreamName, from version: StreamVersion, limit: Int) async throws(EventLogError)
        -> [RecordedEvent]
    {
        try await store.read(stream: stream, from: version, limit: limit)
    }

    public func read(streams: [StreamName], from versions: [StreamVersion]) async throws(EventLogError)
        -> [RecordedEvent]
    {
        try await store.read(streams: streams, from: versions)
    }

    public func readAll(from position: LogPosition, limit: Int) async throws(EventLogError) -> [RecordedEvent] {
        try await store.readAll(from: position, limit: limit)
    }

    public func head() async throws(EventLogError) -> LogHead {
        try await store.head()
    }

    public func version(of stream: StreamName) async throws(EventLogError) -> StreamVersion {
        try await store.version(of: stream)
    }

    public func verify(from position: LogPosition, through end: LogPosition?) async throws(EventLogError)
        -> VerificationReport
    {
        try await store.verify(from: position, through: end)
    }

    public func streams(withPrefix prefix: String) async throws(EventLogError) -> [String] {
        try await store.streams(withPrefix: prefix)
    }

    public func waitForAppend(after position: LogPosition, timeout: Duration) async throws(EventLogError) {
        await store.waitForAppend(after: position, timeout: timeout)
    }
}
