public import Domain
public import EventLog

/// The one write path of the protocol's commands: read a stream's history, let a decision turn
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
    public static func write<Value: Sendable>(
        to stream: StreamName,
        expected: StreamVersion? = nil,
        related: [StreamName] = [],
        metadata: String,
        backend: any AdminBackend,
        _ decide: ([EventPayload], [String: [EventPayload]]) throws(DomainError) -> (
            events: [EventPayload], value: Value
        )
    ) async throws(CommandError) -> Outcome<Value> {
        for _ in 0..<attempts {
            // The target and the related streams are read at once, each on its own connection.
            async let target = self.history(of: stream, backend: backend)
            var relatedHistories: [String: [EventPayload]] = [:]
            for (name, events) in try await histories(of: related, backend: backend) {
                relatedHistories[name] = events
            }
            let history: [EventPayload]
            let version: StreamVersion
            do {
                (history, version) = try await target
            } catch {
                throw CommandError.from(error)
            }
            if let expected, expected != version {
                throw CommandError("WRONGVERSION", "stream \(stream): expected version \(expected), actual \(version)")
            }
            let decision: (events: [EventPayload], value: Value)
            do {
                decision = try decide(history, relatedHistories)
            } catch {
                throw CommandError(error)
            }
            guard !decision.events.isEmpty else {
                return Outcome(value: decision.value, version: version, positions: [])
            }
            do {
                let events = try decision.events.map { event throws(EventLogError) in
                    try NewEvent(type: event.type, data: event.data, metadata: metadata)
                }
                let result = try await backend.append(
                    to: stream,
                    expected: version < 0 ? .noStream : .exact(version),
                    events: events
                )
                return Outcome(value: decision.value, version: result.lastVersion, positions: result.positions)
            } catch  where error.code == .wrongVersion && expected == nil {
                continue
            } catch {
                throw CommandError(error)
            }
        }
        throw CommandError("CONFLICT", "stream \(stream): changed concurrently \(attempts) times in a row; try again")
    }

    /// Every event of `stream` as payloads, and the stream's version (-1 when it has none).
    public static func history(of stream: StreamName, backend: any AdminBackend) async throws(CommandError)
        -> (events: [EventPayload], version: StreamVersion)
    {
        let recorded = try await records(of: stream, backend: backend)
        return (recorded.map { EventPayload(type: $0.type, data: $0.data) }, recorded.last?.version ?? -1)
    }

    /// The histories of `streams`, read concurrently.
    static func histories(of streams: [StreamName], backend: any AdminBackend) async throws(CommandError)
        -> [(String, [EventPayload])]
    {
        do {
            return try await withThrowingTaskGroup(of: (String, [EventPayload]).self) { group in
                for stream in streams {
                    group.addTask { (stream.rawValue, try await history(of: stream, backend: backend).events) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        } catch {
            throw CommandError.from(error)
        }
    }

    /// Every event of `stream` as recorded, in version order.
    public static func records(of stream: StreamName, backend: any AdminBackend) async throws(CommandError)
        -> [RecordedEvent]
    {
        var events: [RecordedEvent] = []
        do {
            while case let batch = try await backend.read(
                stream: stream,
                from: StreamVersion(events.count),
                limit: 1000
            ),
                !batch.isEmpty
            {
                events += batch
            }
        } catch {
            throw CommandError(error)
        }
        return events
    }
}
