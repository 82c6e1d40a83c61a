import Domain
import EventLog

/// The state a batch is decided on: each stream's history as loaded, plus the events the
/// batch's earlier commands added to it, and where each command's events go.
struct BatchPlan {
    /// How many streams one read of a batch's histories asks for.
    static let streamsPerRead = 1000

    private struct Entry {
        var base: StreamHistoryCache.History
        var pending: [EventPayload] = []
        var new: [NewEvent] = []
    }

    /// Where one command's events go: `count` events from `start` among its stream's new events.
    private struct Item {
        let stream: StreamName
        let start: Int
        let count: Int
        /// The stream's version after the command.
        let version: StreamVersion
        /// The entity id, for a domain command; nil for a raw append.
        let id: String?
    }

    private var entries: [StreamName: Entry] = [:]
    private var items: [Int: Item] = [:]
    /// The streams with new events, in the order the batch first wrote them.
    private(set) var touched: [StreamName] = []

    /// Reads `streams`' histories, many streams per read: a cached history is taken as current
    /// for the streams in `trusting`, brought up to date otherwise (only the missing events are read).
    mutating func load(
        _ streams: [StreamName],
        trusting: Set<StreamName>,
        cache: StreamHistoryCache,
        backend: any AdminBackend
    ) async throws(CaselogError) {
        var stale: [(stream: StreamName, base: StreamHistoryCache.History)] = []
        for stream in streams {
            let known = cache.history(of: stream)
            if let known, trusting.contains(stream) {
                entries[stream] = Entry(base: known)
            } else {
                stale.append((stream, known ?? .empty))
            }
        }
        var start = 0
        while start < stale.count {
            let group = stale[start..<min(start + Self.streamsPerRead, stale.count)]
            let added: [RecordedEvent]
            do {
                added = try await backend.read(streams: group.map(\.stream), from: group.map { $0.base.version + 1 })
            } catch {
                throw CaselogError(error)
            }
            let byStream = Dictionary(grouping: added, by: \.stream)
            for (stream, base) in group {
                let events = byStream[stream.rawValue] ?? []
                entries[stream] = Entry(
                    base: .init(
                        events: base.events + events.map(\.payload),
                        version: events.last?.version ?? base.version
                    )
                )
            }
            start = group.endIndex
        }
    }

    /// `stream`'s history at this point of the batch.
    func history(of stream: StreamName) -> StreamHistoryCache.History {
        guard let entry = entries[stream] else { return .empty }
        return .init(
            events: entry.base.events + entry.pending,
            version: entry.base.version + StreamVersion(entry.pending.count)
        )
    }

    /// Adds the events of command `index` to `stream`; `id` is the entity of a domain command.
    mutating func add(
        _ events: [NewEvent],
        payloads: [EventPayload],
        to stream: StreamName,
        by index: Int,
        id: String? = nil
    ) {
        var entry = entries[stream] ?? Entry(base: .empty)
        if entry.new.isEmpty, !events.isEmpty { touched.append(stream) }
        let start = entry.new.count
        entry.new += events
        entry.pending += payloads
        entries[stream] = entry
        let version = entry.base.version + StreamVersion(entry.pending.count)
        items[index] = Item(stream: stream, start: start, count: events.count, version: version, id: id)
    }

    /// One request per stream with new events: its events, expecting the version it was loaded
    /// at. The first also states every stream the batch read but does not write (an
    /// organization, a case) at the version its commands were decided on, so that the batch is
    /// refused, and decided again, when another writer changed one in the meantime.
    var requests: [AppendRequest] {
        let written = Set(touched)
        let read = entries.filter { !written.contains($0.key) }
            .map { StreamPrecondition(stream: $0.key, version: $0.value.base.version) }
            .sorted { $0.stream.rawValue < $1.stream.rawValue }
        return touched.enumerated().compactMap { offset, stream in
            guard let entry = entries[stream] else { return nil }
            return AppendRequest(
                stream: stream,
                expected: .at(entry.base.version),
                events: entry.new,
                preconditions: offset == 0 ? read : []
            )
        }
    }

    /// Each touched stream's history once `appended` (the results of `requests`, in order) is in the log.
    func histories(after appended: [AppendResult]) -> [(stream: StreamName, history: StreamHistoryCache.History)] {
        let lastVersions = Dictionary(
            appended.map { ($0.stream, $0.lastVersion) },
            uniquingKeysWith: { first, _ in first }
        )
        return touched.map { stream in
            var history = history(of: stream)
            if let version = lastVersions[stream] { history.version = version }
            return (stream, history)
        }
    }

    /// The index of the first raw append to `stream`, else of the first command writing it.
    func firstAppend(to stream: StreamName) -> Int? {
        let writers = items.filter { $0.value.stream == stream }.sorted { $0.key < $1.key }
        return (writers.first { $0.value.id == nil } ?? writers.first)?.key
    }

    /// Each command's result, in batch order, from the results of `requests`.
    func results(appended: [AppendResult]) -> [CommandService.BatchResult] {
        let byStream = Dictionary(appended.map { ($0.stream, $0) }, uniquingKeysWith: { first, _ in first })
        return items.keys.sorted().compactMap { index in
            guard let item = items[index] else { return nil }
            let result = byStream[item.stream]
            let positions = result.map { Array($0.positions[item.start..<(item.start + item.count)]) } ?? []
            guard let id = item.id else {
                return .append(
                    AppendResult(
                        stream: item.stream,
                        positions: positions,
                        firstVersion: (result?.firstVersion ?? 0) + StreamVersion(item.start),
                        wasDuplicate: result?.wasDuplicate ?? false
                    )
                )
            }
            return .domain(
                CommandService.Outcome(
                    id: id,
                    stream: item.stream.rawValue,
                    version: result.map { $0.firstVersion + StreamVersion(item.start + item.count) - 1 }
                        ?? item.version,
                    position: positions.last
                )
            )
        }
    }
}
