/// A stream's version: `-1` when the stream has no events, else the 0-based version of its last event.
public typealias StreamVersion = Int64

/// A global log position: 1 for the first event ever appended, gapless and in commit order.
public typealias LogPosition = Int64

/// The optimistic-concurrency condition of an append, with KurrentDB/EventStoreDB semantics.
public enum ExpectedVersion: Hashable, Sendable, CustomStringConvertible {
    /// Append whatever the stream's state.
    case any
    /// The stream must not exist yet.
    case noStream
    /// The stream must already have at least one event.
    case exists
    /// The stream's last event must have exactly this version.
    case exact(StreamVersion)

    /// Parses `any`, `no-stream`, `exists` or a non-negative version number.
    public init(parsing text: String) throws(EventLogError) {
        switch text.lowercased() {
        case "any": self = .any
        case "no-stream", "no_stream", "nostream": self = .noStream
        case "exists", "stream-exists": self = .exists
        default:
            guard let version = StreamVersion(text), version >= 0 else {
                throw .invalid("expected", "must be any, no-stream, exists or a version number >= 0")
            }
            self = .exact(version)
        }
    }

    /// The stream is at exactly `version`: `.noStream` for -1 (no events), else `.exact`.
    public static func at(_ version: StreamVersion) -> ExpectedVersion {
        version < 0 ? .noStream : .exact(version)
    }

    /// Whether a stream whose current version is `actual` satisfies this expectation.
    public func isSatisfied(by actual: StreamVersion) -> Bool {
        switch self {
        case .any: true
        case .noStream: actual == -1
        case .exists: actual >= 0
        case .exact(let version): actual == version
        }
    }

    public var description: String {
        switch self {
        case .any: "any"
        case .noStream: "no-stream"
        case .exists: "exists"
        case .exact(let version): String(version)
        }
    }
}
