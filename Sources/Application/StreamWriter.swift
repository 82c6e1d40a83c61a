public import Domain
public import EventLog

/// The one write path of the application's services: read a stream's history, let a decision turn
/// it into new events, append them expecting the version the decision saw.
///
/// When another writer changed the stream in between, the decision is made again on the new
/// history (a bounded number of times), so neither writer's change is lost. With an explicit
/// `expected` version the caller asked for optimistic concurrency instead: a mismatch is
/// `WRONGVERSION` and nothing is retried.
public enum StreamWriter {
    /// How often a decision is remade after a concurrent change before giving up with `CONFLICT`.
    static let attempts = 8

    /// What a decision produced and where it was appended.
    public struct Outcome<Value: Sendable>: Sendable {
        public let value: Value
        /// The stream's version after the append (unchanged when the decision produced no events).
        public let version: StreamVersion
        /// The appended events' positions; empty when the decision produced none.
        public let positions: [LogPosition]
    }

    /// Decides on `stream`'s history (and the histories of `related` streams) and appends the result.
    ///
    /// With a `cache`, a recently written stream is not read again: the append expects the cached
    /// version, and when the stream moved on meanwhile only the missing events are read.
    static func write<Value: Sendable>(
        to stream: StreamName,
        expected: StreamVersion? = nil,
        related: [StreamName] = [],
        metadata: String,
        backend: any AdminBackend,
        cache: StreamHistoryCache? = nil,
        _ decide: ([EventPayload], [String: [EventPayload]]) throws(DomainError) -> (
            events: [EventPayload], value: Value
        )
    ) async throws(CaselogError) -> Outcome<Value> {
        guard let cache else {
            return try await attemptWrite(stream, expected, related, metadata, backend, nil, decide)
        }
        return try await cache.writers.withLock(stream) { () async throws(CaselogError) in
            try await attemptWrite(stream, expected, related, metadata, backend, cache, decide)
        }
    }

    /// `write`'s decide-and-append loop.
    private static func attemptWrite<Value: Sendable>(
        _ stream: StreamName,
        _ expected: StreamVersion?,
        _ related: [StreamName],
        _ metadata: String,
        _ backend: any AdminBackend,
        _ cache: StreamHistoryCache?,
        _ decide: ([EventPayload], [String: [EventPayload]]) throws(DomainError) -> (
            events: [EventPayload], value: Value
        )
    ) async throws(CaselogError) -> Outcome<Value> {
        var known = cache?.history(of: stream)
        var isCurrent = known != nil && (expected == nil || expected == known?.version)
        for _ in 0..<attempts {
            // The target (unless cached) and the related streams are read at once, each on its own connection.
            let (base, trusted) = (known, isCurrent)
            async let target = catchUp(base, of: stream, trusted: trusted, backend: backend)
            let relatedHistories = try await histories(of: related, backend: backend)
            let current: StreamHistoryCache.History
            do {
                current = try await target
            } catch {
                throw CaselogError.from(error)
            }
            if !trusted { cache?.store(current, for: stream) }
            if let expected, expected != current.version {
                throw .wrongVersion(stream: stream, expected: expected, actual: current.version)
            }
            let decision: (events: [EventPayload], value: Value)
            do {
                decision = try decide(current.events, relatedHistories)
            } catch {
                throw CaselogError(error)
            }
            guard !decision.events.isEmpty else {
                return Outcome(value: decision.value, version: current.version, positions: [])
            }
            do {
                let events = try decision.events.map { event throws(EventLogError) in
                    try NewEvent(type: event.type, data: event.data, metadata: metadata)
                }
                let result = try await backend.append(
                    to: stream,
                    expected: current.version < 0 ? .noStream : .exact(current.version),
                    events: events
                )
                cache?.store(.init(events: current.events + decision.events, version: result.lastVersion), for: stream)
                return Outcome(value: decision.value, version: result.lastVersion, positions: result.positions)
            } catch  where error.code == .wrongVersion {
                // Someone else appended since `current`: read what they added, then decide again.
                known = current
                isCurrent = false
            } catch {
                cache?.forget(stream)
                throw CaselogError(error)
            }
        }
        throw CaselogError(.conflict, "stream \(stream): changed concurrently \(attempts) times in a row; try again")
    }

    /// `known` brought up to date with the events appended to `stream` after it (all of them
    /// without `known`); `known` itself when it is `trusted` to be current.
    static func catchUp(
        _ known: StreamHistoryCache.History?,
        of stream: StreamName,
        trusted: Bool,
        backend: any AdminBackend
    ) async throws(CaselogError) -> StreamHistoryCache.History {
        if trusted, let known { return known }
        let base = known ?? .init(events: [], version: -1)
        let added = try await records(of: stream, from: base.version + 1, backend: backend)
        return .init(
            events: base.events + added.map(\.payload),
            version: added.last?.version ?? base.version
        )
    }

    /// Every event of `stream` as payloads, and the stream's version (-1 when it has none).
    public static func history(of stream: StreamName, backend: any AdminBackend) async throws(CaselogError)
        -> (events: [EventPayload], version: StreamVersion)
    {
        let recorded = try await records(of: stream, backend: backend)
        return (recorded.map(\.payload), recorded.last?.version ?? -1)
    }

    /// The histories of `streams`, read concurrently.
    static func histories(of streams: [StreamName], backend: any AdminBackend) async throws(CaselogError)
        -> [String: [EventPayload]]
    {
        guard !streams.isEmpty else { return [:] }
        do {
            return try await withThrowingTaskGroup(of: (String, [EventPayload]).self) { group in
                for stream in streams {
                    group.addTask { (stream.rawValue, try await history(of: stream, backend: backend).events) }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
        } catch {
            throw CaselogError.from(error)
        }
    }

    /// The events of `stream` from `version` on, as recorded, in version order.
    public static func records(
        of stream: StreamName,
        from version: StreamVersion = 0,
        backend: any AdminBackend
    ) async throws(CaselogError) -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        do {
            while case let batch = try await backend.read(
                stream: stream,
                from: version + StreamVersion(events.count),
                limit: 1000
            ),
                !batch.isEmpty
            {
                events += batch
            }
        } catch {
            throw CaselogError(error)
        }
        return events
    }
}
