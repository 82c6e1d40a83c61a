import Crypto

/// The tamper-evident hash chain over the log, as specified in `docs/integrity.md`.
///
/// Each event's hash is SHA-256 over the previous event's hash (32 raw bytes) followed by the
/// event's canonical bytes: a version tag and the event's fields, one per line.
public enum EventChain {
    /// The tag on the first line of every event's canonical bytes.
    public static let formatTag = "caselog-event/1"

    /// The "previous hash" of the first event: 32 zero bytes.
    public static let genesisHash = [UInt8](repeating: 0, count: 32)

    /// The canonical bytes of an event: its fields joined by LF, in the documented order.
    public static func canonicalBytes(of event: RecordedEvent) -> [UInt8] {
        Array(canonicalLines(of: event).joined(separator: "\n").utf8)
    }

    /// SHA-256(previous ‖ canonical bytes of `event`).
    public static func hash(of event: RecordedEvent, after previous: [UInt8]) -> [UInt8] {
        hash(ofLines: canonicalLines(of: event), after: previous)
    }

    /// The hash an event will carry once appended at `position` as `version` of `stream` at
    /// `recordedAt`, after the event whose hash is `previous`: what the writer sends with an
    /// append so the database can check it instead of computing the chain one event at a time.
    public static func hash(
        of event: NewEvent,
        at position: LogPosition,
        stream: String,
        version: StreamVersion,
        recordedAt: Timestamp,
        after previous: [UInt8]
    ) -> [UInt8] {
        hash(
            ofLines: [
                formatTag, String(position), stream, String(version), event.id.uuidString.lowercased(), event.type,
                recordedAt.iso8601, event.data, event.metadata,
            ],
            after: previous
        )
    }

    private static func canonicalLines(of event: RecordedEvent) -> [String] {
        [
            formatTag, String(event.position), event.stream, String(event.version), event.id.uuidString.lowercased(),
            event.type, event.recordedAt.iso8601, event.data, event.metadata,
        ]
    }

    /// SHA-256 over `previous` and `lines` joined by LF, fed to the hasher line by line.
    private static func hash(ofLines lines: [String], after previous: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: previous)
        for (index, line) in lines.enumerated() {
            if index > 0 { hasher.update(data: lineFeed) }
            var line = line
            line.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        }
        return Array(hasher.finalize())
    }

    private static let lineFeed: [UInt8] = [0x0A]
}

/// Walks events in position order and reports the first place the chain does not hold.
///
/// A value type fed one event at a time, so the same logic checks a whole log or a range
/// read in batches.
public struct ChainVerifier: Sendable {
    /// Why verification stopped at a position.
    public struct Failure: Hashable, Sendable, CustomStringConvertible {
        public let position: LogPosition
        public let reason: String

        public init(position: LogPosition, reason: String) {
            self.position = position
            self.reason = reason
        }

        public var description: String { "position \(position): \(reason)" }
    }

    public private(set) var nextPosition: LogPosition
    public private(set) var previousHash: [UInt8]
    public private(set) var verifiedCount: Int64 = 0

    /// Starts after `position` whose stored hash is `hash` (position 0 and the genesis hash for the whole log).
    public init(after position: LogPosition = 0, hash: [UInt8] = EventChain.genesisHash) {
        self.nextPosition = position + 1
        self.previousHash = hash
    }

    /// Checks the next event; returns the failure if the chain breaks at it.
    public mutating func verify(_ event: RecordedEvent) -> Failure? {
        guard event.position == nextPosition else {
            if event.position > nextPosition {
                return Failure(
                    position: nextPosition,
                    reason: "missing: the log jumps from position \(nextPosition - 1) to \(event.position)"
                )
            }
            return Failure(position: event.position, reason: "out of order: expected position \(nextPosition)")
        }
        guard event.previousHash == previousHash else {
            return Failure(position: event.position, reason: "prev_hash does not match the hash of the event before it")
        }
        guard EventChain.hash(of: event, after: previousHash) == event.hash else {
            return Failure(position: event.position, reason: "content does not match its hash (altered or swapped)")
        }
        previousHash = event.hash
        nextPosition += 1
        verifiedCount += 1
        return nil
    }

    /// Checks that the walk ended where the log's head row says the log ends.
    public func verifyEnd(at head: LogHead) -> Failure? {
        if head.position != nextPosition - 1 {
            return Failure(
                position: min(head.position, nextPosition),
                reason: "log head says position \(head.position) but the events end at \(nextPosition - 1)"
            )
        }
        if head.hash != previousHash {
            return Failure(position: head.position, reason: "log head hash does not match the last event's hash")
        }
        return nil
    }
}
