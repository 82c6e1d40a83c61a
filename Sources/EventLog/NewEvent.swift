public import struct Foundation.UUID

/// An event to append: its id, type and JSON payloads, validated and canonicalized.
///
/// `data` and `metadata` hold the RFC 8785 canonical text of JSON objects; that exact text is
/// stored and hashed, so equal content always has equal bytes.
public struct NewEvent: Hashable, Sendable {
    /// The longest event type accepted, in bytes.
    public static let maxTypeLength = 128

    public let id: UUID
    public let type: String
    public let data: String
    public let metadata: String

    /// Validates the type and canonicalizes both payloads, which must be JSON objects.
    public init(id: UUID = .random(), type: String, data: String, metadata: String = "{}") throws(EventLogError) {
        try Self.validate(type: type)
        self.id = id
        self.type = type
        self.data = try Self.canonicalObject(data, field: "data")
        self.metadata = try Self.canonicalObject(metadata, field: "metadata")
    }

    /// The bytes this event adds to a request: payloads and type, as counted against size limits.
    public var byteCount: Int { data.utf8.count + metadata.utf8.count + type.utf8.count }

    private static func validate(type: String) throws(EventLogError) {
        let bytes = type.utf8
        guard let first = bytes.first else { throw .invalid("type", "must not be empty") }
        guard bytes.count <= maxTypeLength else {
            throw .invalid("type", "must be at most \(maxTypeLength) bytes")
        }
        let isLetter = { (b: UInt8) in (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") }
        let isAllowed = { (b: UInt8) in
            isLetter(b) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: ".")
                || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
        }
        guard isLetter(first), bytes.allSatisfy(isAllowed) else {
            throw .invalid("type", "must start with a letter and hold only letters, digits, '.', '_' and '-'")
        }
    }

    private static func canonicalObject(_ text: String, field: String) throws(EventLogError) -> String {
        do {
            return try CanonicalJSON.canonicalizeObject(text)
        } catch {
            throw .invalid(field, "must be a JSON object (\(error))")
        }
    }
}

/// One stream's share of an append: the events, in order, and the condition on the stream.
public struct AppendRequest: Sendable {
    public let stream: StreamName
    public let expected: ExpectedVersion
    public let events: [NewEvent]
    /// Streams the request reads but does not write, each required to be still at a version:
    /// checked in the same statement as the append, which is refused as a whole when one fails.
    public let preconditions: [StreamPrecondition]

    public init(
        stream: StreamName,
        expected: ExpectedVersion,
        events: [NewEvent],
        preconditions: [StreamPrecondition] = []
    ) {
        self.stream = stream
        self.expected = expected
        self.events = events
        self.preconditions = preconditions
    }

    /// Total payload bytes of the request's events.
    public var byteCount: Int { events.reduce(0) { $0 + $1.byteCount } }
}

/// What an append did: where its events landed in the log and in the stream.
public struct AppendResult: Hashable, Sendable {
    public let stream: StreamName
    /// The global positions of the appended events, in order.
    public let positions: [LogPosition]
    /// The stream version of the first appended event.
    public let firstVersion: StreamVersion
    /// True when every event was already in the log with the same content: nothing new was written.
    public let wasDuplicate: Bool

    public init(stream: StreamName, positions: [LogPosition], firstVersion: StreamVersion, wasDuplicate: Bool) {
        self.stream = stream
        self.positions = positions
        self.firstVersion = firstVersion
        self.wasDuplicate = wasDuplicate
    }

    /// The version of the last appended event: the expected version for the next append.
    public var lastVersion: StreamVersion { firstVersion + StreamVersion(positions.count) - 1 }
}

/// A condition on a stream an append does not write: the stream is still at `version` (-1: it
/// has no events), as the writer saw it when it decided.
public struct StreamPrecondition: Hashable, Sendable {
    public let stream: StreamName
    public let version: StreamVersion

    public init(stream: StreamName, version: StreamVersion) {
        self.stream = stream
        self.version = version
    }

    /// The condition as an expected version of the stream.
    public var expected: ExpectedVersion { .at(version) }
}
