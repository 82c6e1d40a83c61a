import EventLog
import Synchronization

/// The latest stream versions the writer has seen committed, so that most chained appends
/// need no version lookup in the database.
///
/// A stream's versions are gapless from 0 and the log is append-only: once version `v` of a
/// stream is stored, every version up to `v` is stored for good. A request stating that its
/// stream is at such a version is then decided by the unique (stream, version) key alone: the
/// insert of version `v + 1` succeeds exactly when the stream is still at `v`. The same holds
/// for `no-stream` (the stream has no version 0). So a request stating the latest version seen
/// (or `no-stream` for a stream never seen) skips the lookup; what another process appended
/// meanwhile makes its insert fail, never succeed. A request stating an older version is stale
/// and keeps the lookup, which answers it `WRONGVERSION` with where its stream is.
final class StoredVersions: Sendable {
    /// How many streams are remembered; past it the memory starts afresh.
    let capacity: Int
    private let latest = Mutex<[String: StreamVersion]>([:])

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Whether the version `request` states its stream is at needs a lookup in the database
    /// rather than being left to the unique key.
    func needsLookup(_ request: AppendRequest) -> Bool {
        let stated = ChainedAppend.statedVersion(of: request)
        return latest.withLock { $0[request.stream.rawValue, default: -1] } != stated
    }

    /// The latest version of `stream` seen committed, if it is remembered.
    func latestVersion(of stream: StreamName) -> StreamVersion? {
        latest.withLock { $0[stream.rawValue] }
    }

    /// Remembers what `outcomes` appended to their streams.
    func record(_ outcomes: [AppendQueue.Outcome]) {
        latest.withLock { latest in
            for case .success(let result) in outcomes where !result.positions.isEmpty {
                let stream = result.stream.rawValue
                if latest.count >= capacity, latest[stream] == nil {
                    latest.removeAll(keepingCapacity: true)
                }
                latest[stream] = max(latest[stream, default: -1], result.lastVersion)
            }
        }
    }
}
