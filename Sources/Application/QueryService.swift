public import Domain
public import EventLog

/// Answers the read side: the read models (through the `ReadModelBackend` port) and entities'
/// current state folded straight from their streams.
public struct QueryService: Sendable {
    /// One entity's state folded from its stream, with where the stream stands.
    public struct Snapshot: Sendable, Equatable {
        public let state: EntitySnapshot
        public let stream: StreamName
        /// The version of the stream's last event.
        public let version: StreamVersion
        /// The position of the stream's last event.
        public let lastPosition: LogPosition?
    }

    public let backend: any AdminBackend
    private let readModelBackend: (any ReadModelBackend)?

    /// Queries over the log in `backend` and, when the server runs projections, `readModels`.
    public init(backend: any AdminBackend, readModels: (any ReadModelBackend)?) {
        self.backend = backend
        self.readModelBackend = readModels
    }

    /// The read models; `UNAVAILABLE` when this server runs no projections.
    public func readModels() throws(CaselogError) -> any ReadModelBackend {
        guard let readModelBackend else { throw CaselogError(.unavailable, "this server runs no projections") }
        return readModelBackend
    }

    /// Whether this server runs projections.
    public var hasReadModels: Bool { readModelBackend != nil }

    /// The current state of entity `kind`-`id` (`org`, `case`, `activity`, …), folded from its stream.
    public func snapshot(kind: String, id: String) async throws(CaselogError) -> Snapshot {
        let stream = try StreamName(request: "\(kind)-\(id)")
        let records = try await StreamWriter.records(of: stream, backend: backend)
        let state: EntitySnapshot
        do {
            state = try DomainState.snapshot(
                kind: kind,
                id: id,
                history: records.map(\.payload)
            )
        } catch {
            throw CaselogError(error)
        }
        return Snapshot(
            state: state,
            stream: stream,
            version: records.last?.version ?? -1,
            lastPosition: records.last?.position
        )
    }

    /// Every organization's snapshot, in slug order.
    public func organizations() async throws(CaselogError) -> [Snapshot] {
        let streams: [String]
        do {
            streams = try await backend.streams(withPrefix: "org-")
        } catch {
            throw CaselogError(error)
        }
        var snapshots: [Snapshot] = []
        for stream in streams {
            snapshots.append(try await snapshot(kind: "org", id: String(stream.dropFirst("org-".count))))
        }
        return snapshots
    }

    /// The theme vocabulary: the initiative's seed themes and those admins added.
    public func themes() async throws(CaselogError) -> [String] {
        let history = try await StreamWriter.history(
            of: try StreamName(request: ThemeVocabulary.stream),
            backend: backend
        )
        return ThemeVocabulary(history: history.events).themes
    }

    /// The position of `stream`'s last event; nil when it has none.
    public func lastPosition(of stream: StreamName) async throws(CaselogError) -> LogPosition? {
        do {
            let version = try await backend.version(of: stream)
            guard version >= 0 else { return nil }
            return try await backend.read(stream: stream, from: version, limit: 1).first?.position
        } catch {
            throw CaselogError(error)
        }
    }
}
