public import Domain
public import EventLog
import Synchronization

/// The histories of recently written streams, so a command on a stream this server wrote
/// recently decides without reading it again.
///
/// An entry may be stale (another process or connection appended since): the write that uses
/// it expects the cached version exactly, so a stale entry costs one `WRONGVERSION`, after which
/// only the missing events are read. Bounded by `capacity` streams of at most `maxEvents`
/// events; the least recently used streams leave first.
public final class StreamHistoryCache: Sendable {
    /// A stream's events as payloads and the version of the last one.
    public struct History: Sendable {
        public var events: [EventPayload]
        public var version: StreamVersion

        public init(events: [EventPayload], version: StreamVersion) {
            self.events = events
            self.version = version
        }

        /// The history of a stream with no events.
        public static let empty = History(events: [], version: -1)
    }

    private struct Entry {
        var history: History
        var lastUse: UInt64
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var clock: UInt64 = 0
    }

    public let capacity: Int
    public let maxEvents: Int
    /// Writers that use the cache take turns per stream (see `StreamWriteLocks`).
    public let writers = StreamWriteLocks()
    private let state = Mutex(State())

    public init(capacity: Int = 4096, maxEvents: Int = 1000) {
        self.capacity = capacity
        self.maxEvents = maxEvents
    }

    /// The cached history of `stream`, if any.
    public func history(of stream: StreamName) -> History? {
        state.withLock { state in
            state.clock += 1
            guard var entry = state.entries[stream.rawValue] else { return nil }
            entry.lastUse = state.clock
            state.entries[stream.rawValue] = entry
            return entry.history
        }
    }

    /// Records `history` for `stream` unless a newer one is already cached.
    public func store(_ history: History, for stream: StreamName) {
        guard history.events.count <= maxEvents else { return forget(stream) }
        state.withLock { state in
            state.clock += 1
            if let cached = state.entries[stream.rawValue], cached.history.version > history.version { return }
            state.entries[stream.rawValue] = Entry(history: history, lastUse: state.clock)
            guard state.entries.count > capacity else { return }
            // Evict the least recently used quarter at once, so eviction costs little per write.
            let oldest = state.entries.sorted { $0.value.lastUse < $1.value.lastUse }.prefix(max(1, capacity / 4))
            for (key, _) in oldest { state.entries.removeValue(forKey: key) }
        }
    }

    /// Drops what is cached for `stream` (after a write whose outcome is unknown).
    public func forget(_ stream: StreamName) {
        _ = state.withLock { $0.entries.removeValue(forKey: stream.rawValue) }
    }

    /// How many streams are cached.
    public var count: Int { state.withLock { $0.entries.count } }
}
