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
        return try fold(
            kind: kind,
            id: id,
            stream: stream,
            records: try await StreamWriter.records(of: stream, backend: backend)
        )
    }

    private func fold(kind: String, id: String, stream: StreamName, records: [RecordedEvent]) throws(CaselogError)
        -> Snapshot
    {
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

    /// One page of organizations in slug order.
    public struct OrganizationPage: Sendable {
        public let organizations: [Snapshot]
        /// The log position every organization of the listing is folded up to.
        public let position: LogPosition
        /// Whether organizations follow the last of this page.
        public let more: Bool
    }

    /// Up to `limit` organizations whose slug sorts after `after`, each as it stood at `position`
    /// (nil: the log's head now). Pages read at one position neither skip nor repeat an organization.
    public func organizations(limit: Int = .max, after: String? = nil, at position: LogPosition? = nil)
        async throws(CaselogError) -> OrganizationPage
    {
        let streams: [String]
        let position = try await resolved(position)
        do {
            streams = try await backend.streams(withPrefix: "org-")
        } catch {
            throw CaselogError(error)
        }
        var snapshots: [Snapshot] = []
        for name in streams {
            let slug = String(name.dropFirst("org-".count))
            guard after.map({ slug > $0 }) ?? true else { continue }
            let stream = try StreamName(request: name)
            let records = try await StreamWriter.records(of: stream, backend: backend).filter {
                $0.position <= position
            }
            guard !records.isEmpty else { continue }
            guard snapshots.count < limit else {
                return OrganizationPage(organizations: snapshots, position: position, more: true)
            }
            snapshots.append(try fold(kind: "org", id: slug, stream: stream, records: records))
        }
        return OrganizationPage(organizations: snapshots, position: position, more: false)
    }

    /// `position`, or the log's head when it is nil.
    private func resolved(_ position: LogPosition?) async throws(CaselogError) -> LogPosition {
        if let position { return position }
        do {
            return try await backend.head().position
        } catch {
            throw CaselogError(error)
        }
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
