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
    /// The append states the versions of the `related` histories the decision saw as
    /// preconditions, so it is refused when one of them moved meanwhile (in this process or
    /// another); then only the missing events are read and the decision is made again. With a
    /// `cache`, a recently written or read stream is not read again: the append expects the cached
    /// versions, and when a stream moved on meanwhile only the missing events are read. With
    /// `createsStream` (a command that starts a new entity, its stream not stated by version), an
    /// uncached target is taken to be new without reading it: if it exists, the append is refused
    /// and the decision made again on its history.
    static func write<Value: Sendable>(
        to stream: StreamName,
        expected: StreamVersion? = nil,
        related: [StreamName] = [],
        createsStream: Bool = false,
        metadata: String,
        backend: any AdminBackend,
        cache: StreamHistoryCache? = nil,
        _ decide: ([EventPayload], [String: [EventPayload]]) throws(DomainError) -> (
            events: [EventPayload], value: Value
        )
    ) async throws(CaselogError) -> Outcome<Value> {
        // What the cache holds is taken once this writer has the stream's turn.
        func attempt() async throws(CaselogError) -> Outcome<Value> {
            var attempt = Attempt(stream: stream, expected: expected, related: related, cache: cache)
            if createsStream, expected == nil, attempt.target.known == nil {
                attempt.target = .init(known: .empty, isCurrent: true)
            }
            return try await attempt.run(metadata: metadata, backend: backend, decide)
        }
        guard let cache else { return try await attempt() }
        return try await cache.writers.withLock(stream) { () async throws(CaselogError) in try await attempt() }
    }

    /// `write`'s decide-and-append loop and what it knows of each stream it reads.
    private struct Attempt {
        /// A stream's history as far as it is known, and whether it is taken as current.
        struct Known {
            var known: StreamHistoryCache.History?
            var isCurrent: Bool
        }

        let stream: StreamName
        let expected: StreamVersion?
        let cache: StreamHistoryCache?
        var target: Known
        var related: [StreamName: Known]
        /// Whether the last read took a stream's history from memory rather than the database.
        var decidedFromMemory = false

        init(stream: StreamName, expected: StreamVersion?, related: [StreamName], cache: StreamHistoryCache?) {
            self.stream = stream
            self.expected = expected
            self.cache = cache
            let cached = cache?.history(of: stream)
            self.target = Known(
                known: cached,
                isCurrent: cached != nil && (expected == nil || expected == cached?.version)
            )
            self.related = Dictionary(
                related.map { name in
                    let cached = cache?.history(of: name)
                    return (name, Known(known: cached, isCurrent: cached != nil))
                },
                uniquingKeysWith: { first, _ in first }
            )
        }

        mutating func run<Value: Sendable>(
            metadata: String,
            backend: any AdminBackend,
            _ decide: ([EventPayload], [String: [EventPayload]]) throws(DomainError) -> (
                events: [EventPayload], value: Value
            )
        ) async throws(CaselogError) -> Outcome<Value> {
            for _ in 0..<attempts {
                let (current, relatedHistories) = try await read(backend: backend)
                if let expected, expected != current.version {
                    throw .wrongVersion(stream: stream, expected: expected, actual: current.version)
                }
                let decision: (events: [EventPayload], value: Value)
                do {
                    decision = try decide(
                        current.events,
                        Dictionary(uniqueKeysWithValues: relatedHistories.map { ($0.key.rawValue, $0.value.events) })
                    )
                } catch {
                    // A refusal stands only on histories read now: one taken from memory may be
                    // stale (another process changed the stream), so it is read and decided again.
                    guard confirmRead() else { throw CaselogError(error) }
                    continue
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
                        expected: .at(current.version),
                        events: events,
                        preconditions: relatedHistories.map { name, history in
                            StreamPrecondition(stream: name, version: history.version)
                        }
                    )
                    cache?.store(
                        .init(events: current.events + decision.events, version: result.lastVersion),
                        for: stream
                    )
                    return Outcome(value: decision.value, version: result.lastVersion, positions: result.positions)
                } catch  where error.code == .wrongVersion {
                    // Someone else appended to the stream, or to a stream the decision read, since
                    // it was read: read what they added, then decide again.
                    if let moved = error.stream, moved != stream, let history = relatedHistories[moved] {
                        target = Known(known: current, isCurrent: true)
                        related[moved] = Known(known: history, isCurrent: false)
                    } else {
                        target = Known(known: current, isCurrent: false)
                    }
                } catch {
                    cache?.forget(stream)
                    throw CaselogError(error)
                }
            }
            throw CaselogError(
                .conflict,
                "stream \(stream): changed concurrently \(attempts) times in a row; try again"
            )
        }

        /// Marks every stream taken as current without reading to be read (its missing events)
        /// before the next decision; false when there is none, every history having been read.
        private mutating func confirmRead() -> Bool {
            guard decidedFromMemory else { return false }
            target.isCurrent = false
            for name in related.keys { related[name]?.isCurrent = false }
            return true
        }

        /// The target's history and the related ones, each read (from where it is known) unless
        /// taken as current; those read are cached and taken as current from then on.
        private mutating func read(backend: any AdminBackend) async throws(CaselogError) -> (
            StreamHistoryCache.History, [StreamName: StreamHistoryCache.History]
        ) {
            var relatedHistories = related.compactMapValues { $0.isCurrent ? $0.known : nil }
            let unread = related.filter { !$0.value.isCurrent }.map { ($0.key, $0.value.known) }
            decidedFromMemory = target.isCurrent || !relatedHistories.isEmpty
            if target.isCurrent, let known = target.known, unread.isEmpty {
                return (known, relatedHistories)
            }
            let (stream, target) = (stream, target)
            let current: StreamHistoryCache.History
            do {
                async let read = catchUp(target.known, of: stream, trusted: target.isCurrent, backend: backend)
                let fresh = try await withThrowingTaskGroup(of: (StreamName, StreamHistoryCache.History).self) {
                    group in
                    for (name, known) in unread {
                        group.addTask { (name, try await catchUp(known, of: name, trusted: false, backend: backend)) }
                    }
                    return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
                }
                current = try await read
                for (name, history) in fresh {
                    relatedHistories[name] = history
                    cache?.store(history, for: name)
                    related[name] = Known(known: history, isCurrent: true)
                }
            } catch {
                throw CaselogError.from(error)
            }
            if !target.isCurrent { cache?.store(current, for: stream) }
            return (current, relatedHistories)
        }
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
        let base = known ?? .empty
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

    /// The events of `stream` from `version` on, as recorded, in version order.
    public static func records(
        of stream: StreamName,
        from version: StreamVersion = 0,
        backend: any AdminBackend
    ) async throws(CaselogError) -> [RecordedEvent] {
        let page = 1000
        var events: [RecordedEvent] = []
        do {
            // A page shorter than asked for is the stream's last.
            var batch: [RecordedEvent]
            repeat {
                batch = try await backend.read(stream: stream, from: version + StreamVersion(events.count), limit: page)
                events += batch
            } while batch.count == page
        } catch {
            throw CaselogError(error)
        }
        return events
    }
}
