public import struct Foundation.UUID

/// An event as stored in the log: where it sits, what it says, when and how it was chained.
public struct RecordedEvent: Hashable, Sendable {
    public let position: LogPosition
    public let stream: String
    public let version: StreamVersion
    public let id: UUID
    public let type: String
    public let data: String
    public let metadata: String
    public let recordedAt: Timestamp
    /// The hash of the event before it (32 zero bytes before the first event).
    public let previousHash: [UInt8]
    /// SHA-256 over `previousHash` and this event's canonical bytes.
    public let hash: [UInt8]

    public init(
        position: LogPosition,
        stream: String,
        version: StreamVersion,
        id: UUID,
        type: String,
        data: String,
        metadata: String,
        recordedAt: Timestamp,
        previousHash: [UInt8],
        hash: [UInt8]
    ) {
        self.position = position
        self.stream = stream
        self.version = version
        self.id = id
        self.type = type
        self.data = data
        self.metadata = metadata
        self.recordedAt = recordedAt
        self.previousHash = previousHash
        self.hash = hash
    }
}

/// The log's head: the position and hash of the last event (0 and the genesis hash when empty).
public struct LogHead: Hashable, Sendable {
    public let position: LogPosition
    public let hash: [UInt8]

    public init(position: LogPosition, hash: [UInt8]) {
        self.position = position
        self.hash = hash
    }
}
