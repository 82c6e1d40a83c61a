/// An event's fields in the text forms the wire and the history file share (decimal numbers,
/// the id in lowercase, `recorded_at` as the chain writes it, hashes in lowercase hex), borrowed
/// from wherever they are held — a `LOG READ` reply, or a recorded event's own strings — so that
/// an export can copy them into lines without parsing them into values first.
///
/// The buffers are only valid inside the call that hands them out.
public struct EventText {
    public var position: Int64
    public var stream: UnsafeRawBufferPointer
    public var version: Int64
    public var id: UnsafeRawBufferPointer
    public var type: UnsafeRawBufferPointer
    public var data: UnsafeRawBufferPointer
    public var metadata: UnsafeRawBufferPointer
    public var recordedAt: UnsafeRawBufferPointer
    public var previousHash: UnsafeRawBufferPointer
    public var hash: UnsafeRawBufferPointer

    public init(
        position: Int64,
        stream: UnsafeRawBufferPointer,
        version: Int64,
        id: UnsafeRawBufferPointer,
        type: UnsafeRawBufferPointer,
        data: UnsafeRawBufferPointer,
        metadata: UnsafeRawBufferPointer,
        recordedAt: UnsafeRawBufferPointer,
        previousHash: UnsafeRawBufferPointer,
        hash: UnsafeRawBufferPointer
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

    /// Calls `body` with the text of `event`.
    public static func with<Result>(_ event: RecordedEvent, _ body: (EventText) throws -> Result) rethrows -> Result {
        let texts = [
            event.stream, event.id.lowercasedString, event.type, event.data, event.metadata,
            event.recordedAt.iso8601, Hex.encode(event.previousHash), Hex.encode(event.hash),
        ]
        var bytes: [UInt8] = []
        var bounds: [Range<Int>] = []
        for text in texts {
            let start = bytes.count
            bytes.append(contentsOf: text.utf8)
            bounds.append(start..<bytes.count)
        }
        return try bytes.withUnsafeBytes { raw in
            func field(_ index: Int) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: raw[bounds[index]]) }
            return try body(
                EventText(
                    position: event.position,
                    stream: field(0),
                    version: event.version,
                    id: field(1),
                    type: field(2),
                    data: field(3),
                    metadata: field(4),
                    recordedAt: field(5),
                    previousHash: field(6),
                    hash: field(7)
                )
            )
        }
    }
}
