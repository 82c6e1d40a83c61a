public import EventLog

/// The application's port to the event log: what its services need from the event store.
///
/// The server wiring implements it over EventStore (`StoreBackend`); the application knows nothing
/// of PostgreSQL: it sees envelopes, positions and errors with codes.
public protocol AdminBackend: Sendable {
    /// Appends `events` to `stream` if it is at `expected` and every stream of `preconditions` is
    /// still at its version (a failed one is `WRONGVERSION` with `EventLogError.stream` naming it).
    func append(
        to stream: StreamName,
        expected: ExpectedVersion,
        events: [NewEvent],
        preconditions: [StreamPrecondition]
    ) async throws(EventLogError) -> AppendResult
    /// Appends to many streams all or nothing, each request with its own expected version; a
    /// refused request fails the whole append, its index in `EventLogError.request`.
    func append(atomically requests: [AppendRequest]) async throws(EventLogError) -> [AppendResult]
    func read(stream: StreamName, from version: StreamVersion, limit: Int) async throws(EventLogError)
        -> [RecordedEvent]
    /// Every event of each of `streams` from its version in `versions` on, stream by stream, each
    /// in version order (by default one read per stream).
    func read(streams: [StreamName], from versions: [StreamVersion]) async throws(EventLogError) -> [RecordedEvent]
    func readAll(from position: LogPosition, limit: Int) async throws(EventLogError) -> [RecordedEvent]
    func head() async throws(EventLogError) -> LogHead
    /// The version of the stream's last event, or -1 when the stream has none.
    func version(of stream: StreamName) async throws(EventLogError) -> StreamVersion
    func verify(from position: LogPosition, through end: LogPosition?) async throws(EventLogError) -> VerificationReport
    /// Names of the streams whose name starts with `prefix`, sorted.
    func streams(withPrefix prefix: String) async throws(EventLogError) -> [String]
    /// Returns once the log's head is past `position`, or after `timeout`, whichever is first.
    func waitForAppend(after position: LogPosition, timeout: Duration) async throws(EventLogError)
}

extension AdminBackend {
    public func append(to stream: StreamName, expected: ExpectedVersion, events: [NewEvent]) async throws(EventLogError)
        -> AppendResult
    {
        try await append(to: stream, expected: expected, events: events, preconditions: [])
    }

    public func read(streams: [StreamName], from versions: [StreamVersion]) async throws(EventLogError)
        -> [RecordedEvent]
    {
        var events: [RecordedEvent] = []
        for (stream, version) in zip(streams, versions) {
            var next = version
            while case let batch = try await read(stream: stream, from: next, limit: 1000), !batch.isEmpty {
                events += batch
                next = (batch.last?.version ?? next) + 1
            }
        }
        return events
    }
}
