import Crypto

import struct Foundation.UUID

/// The tamper-evident hash chain over the log, as specified in `docs/integrity.md`.
///
/// Each event's hash is SHA-256 over the previous event's hash (32 raw bytes) followed by the
/// event's canonical bytes: a version tag and the event's fields, one per line.
public enum EventChain {
    /// The tag on the first line of every event's canonical bytes.
    public static let formatTag = formatTagUTF8.description

    /// The tag's bytes, for writing canonical bytes from byte ranges.
    static let formatTagUTF8: StaticString = "caselog-event/1"

    /// The "previous hash" of the first event: 32 zero bytes.
    public static let genesisHash = [UInt8](repeating: 0, count: 32)

    /// The canonical bytes of an event: its fields joined by LF, in the documented order.
    public static func canonicalBytes(of event: RecordedEvent) -> [UInt8] {
        var bytes: [UInt8] = []
        writeCanonicalBytes(of: event) { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// SHA-256(previous ‖ canonical bytes of `event`).
    public static func hash(of event: RecordedEvent, after previous: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: previous)
        writeCanonicalBytes(of: event) { hasher.update(bufferPointer: $0) }
        return Array(hasher.finalize())
    }

    /// The hash an event will carry once appended at `position` as `version` of `stream`,
    /// recorded at the time whose `Timestamp.iso8601` text is `recordedAt`, after the event
    /// whose hash is `previous`: what the writer computes for the rows it appends.
    public static func hash(
        of event: NewEvent,
        at position: LogPosition,
        stream: String,
        version: StreamVersion,
        recordedAt: String,
        after previous: [UInt8]
    ) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: previous)
        writeCanonicalBytes(
            position: position,
            stream: stream,
            version: version,
            id: event.id,
            type: event.type,
            recordedAt: recordedAt,
            data: event.data,
            metadata: event.metadata
        ) { hasher.update(bufferPointer: $0) }
        return Array(hasher.finalize())
    }

    private static func writeCanonicalBytes(of event: RecordedEvent, to sink: (UnsafeRawBufferPointer) -> Void) {
        writeCanonicalBytes(
            position: event.position,
            stream: event.stream,
            version: event.version,
            id: event.id,
            type: event.type,
            recordedAt: event.recordedAt.iso8601,
            data: event.data,
            metadata: event.metadata,
            to: sink
        )
    }

    private static func writeCanonicalBytes(
        position: LogPosition,
        stream: String,
        version: StreamVersion,
        id: UUID,
        type: String,
        recordedAt: String,
        data: String,
        metadata: String,
        to sink: (UnsafeRawBufferPointer) -> Void
    ) {
        writeCanonicalLines(
            position: String(position),
            stream: stream,
            version: String(version),
            id: id.lowercasedString,
            type: type,
            recordedAt: recordedAt,
            data: data,
            metadata: metadata,
            tag: formatTag,
            lineFeed: "\n"
        ) { line in
            var line = line
            line.withUTF8 { sink(UnsafeRawBufferPointer($0)) }
        }
    }

    /// The one definition of the canonical form: the tag and the event's fields as text, one per
    /// line in the documented order, joined by `lineFeed`, handed to `sink` piece by piece so that
    /// hashing needs no joined copy.
    static func writeCanonicalLines<Line>(
        position: Line,
        stream: Line,
        version: Line,
        id: Line,
        type: Line,
        recordedAt: Line,
        data: Line,
        metadata: Line,
        tag: Line,
        lineFeed: Line,
        to sink: (Line) -> Void
    ) {
        sink(tag)
        for line in [position, stream, version, id, type, recordedAt, data, metadata] {
            sink(lineFeed)
            sink(line)
        }
    }
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
        verify(ChainLink(event)) { EventChain.hash(of: event, after: event.previousHash) == event.hash }
    }

    /// Checks the next event by its link; `contentHolds` says whether SHA-256 over the link's
    /// previous hash and the event's canonical bytes is the link's hash, and is asked only once
    /// the link itself holds.
    mutating func verify(_ link: ChainLink, contentHolds: () -> Bool) -> Failure? {
        guard link.position == nextPosition else {
            if link.position > nextPosition {
                return Failure(
                    position: nextPosition,
                    reason: "missing: the log jumps from position \(nextPosition - 1) to \(link.position)"
                )
            }
            return Failure(position: link.position, reason: "out of order: expected position \(nextPosition)")
        }
        guard link.previousHash == previousHash else {
            return Failure(position: link.position, reason: "prev_hash does not match the hash of the event before it")
        }
        guard contentHolds() else {
            return Failure(position: link.position, reason: "content does not match its hash (altered or swapped)")
        }
        previousHash = link.hash
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

/// What the chain links an event by: its position, the hash it states for the event before it,
/// and its own hash.
struct ChainLink: Hashable, Sendable {
    let position: LogPosition
    let previousHash: [UInt8]
    let hash: [UInt8]

    init(position: LogPosition, previousHash: [UInt8], hash: [UInt8]) {
        self.position = position
        self.previousHash = previousHash
        self.hash = hash
    }

    init(_ event: RecordedEvent) {
        self.init(position: event.position, previousHash: event.previousHash, hash: event.hash)
    }
}
