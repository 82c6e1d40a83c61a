import EventLog
import NIOCore

/// A `LOG READ` reply read straight from its bytes, as the server sent them: each event's fields
/// handed on as the text they arrived in, for an export to copy into its lines. Building values
/// (a map of bulk strings per event, then UUIDs, timestamps and hashes from them) cost an export
/// more than the server spent reading the events from the database.
///
/// Accepts both shapes of an event: a RESP3 map, or the flat array RESP2 makes of it.
enum LogReadPage {
    /// Calls `body` with each event of `reply` in order; throws the server's refusal when the
    /// reply is an error, and `HistoryExportError` when it is not a page of events.
    static func forEachEvent(in reply: ByteBuffer, _ body: (EventText) throws -> Void) throws {
        if let marker = reply.getInteger(at: reply.readerIndex, as: UInt8.self),
            marker == UInt8(ascii: "-") || marker == UInt8(ascii: "!")
        {
            var copy = reply
            let value = try RESPReplyDecoder().decode(&copy)
            throw ServerRefusal(value?.text ?? "an error reply")
        }
        try reply.withUnsafeReadableBytes { bytes in
            var cursor = Cursor(bytes: bytes)
            let count = try cursor.header(UInt8(ascii: "*"))
            for _ in 0..<count { try body(try cursor.event()) }
            guard cursor.index == bytes.count else {
                throw HistoryExportError("a LOG READ reply has bytes after its events")
            }
        }
    }

    /// Reads one reply's elements in order.
    private struct Cursor {
        let bytes: UnsafeRawBufferPointer
        var index = 0

        /// The number of a header line with `marker` (`*3\r\n` → 3).
        mutating func header(_ markers: UInt8...) throws -> Int {
            guard index < bytes.count, markers.contains(bytes[index]) else {
                throw HistoryExportError("a LOG READ reply is not a page of events (at byte \(index))")
            }
            index += 1
            var number = 0
            var negative = false
            while index < bytes.count, bytes[index] != UInt8(ascii: "\r") {
                let byte = bytes[index]
                if byte == UInt8(ascii: "-"), !negative, number == 0 {
                    negative = true
                } else if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                    number = number &* 10 &+ Int(byte - UInt8(ascii: "0"))
                } else {
                    throw HistoryExportError("a LOG READ reply has a malformed header (at byte \(index))")
                }
                index += 1
            }
            index += 2
            return negative ? -number : number
        }

        /// The body of a bulk string.
        mutating func bulk() throws -> UnsafeRawBufferPointer {
            let length = try header(UInt8(ascii: "$"))
            guard length >= 0, index + length + 2 <= bytes.count else {
                throw HistoryExportError("a LOG READ reply has a malformed string (at byte \(index))")
            }
            defer { index += length + 2 }
            return UnsafeRawBufferPointer(rebasing: bytes[index..<(index + length)])
        }

        /// One event: a map (RESP3) or flat array (RESP2) of its ten fields, in any order.
        mutating func event() throws -> EventText {
            guard index < bytes.count else { throw HistoryExportError("a LOG READ reply ends inside an event") }
            let marker = bytes[index]
            let fieldCount = try header(UInt8(ascii: "%"), UInt8(ascii: "*"))
            let pairs = marker == UInt8(ascii: "%") ? fieldCount : fieldCount / 2
            var numbers: [Int64?] = [nil, nil]
            var texts = [UnsafeRawBufferPointer?](repeating: nil, count: Field.texts.count)
            for _ in 0..<pairs {
                let key = try bulk()
                if let slot = Field.numbers.firstIndex(where: { Field.matches(key, $0) }) {
                    numbers[slot] = Int64(try header(UInt8(ascii: ":")))
                } else if let slot = Field.texts.firstIndex(where: { Field.matches(key, $0) }) {
                    texts[slot] = try bulk()
                } else {
                    throw HistoryExportError("an event the server sent has an unknown field (at byte \(index))")
                }
            }
            func number(_ slot: Int) throws -> Int64 {
                guard let value = numbers[slot] else {
                    throw HistoryExportError("an event without \(Field.numbers[slot])")
                }
                return value
            }
            func text(_ slot: Int, length: Int? = nil) throws -> UnsafeRawBufferPointer {
                guard let value = texts[slot] else { throw HistoryExportError("an event without \(Field.texts[slot])") }
                guard length.map({ value.count == $0 }) ?? true else {
                    throw HistoryExportError("an event the server sent has a malformed \(Field.texts[slot])")
                }
                return value
            }
            return EventText(
                position: try number(0),
                stream: try text(0),
                version: try number(1),
                id: try text(1, length: 36),
                type: try text(2),
                data: try text(3),
                metadata: try text(4),
                recordedAt: try text(5, length: 27),
                previousHash: try text(6, length: 64),
                hash: try text(7, length: 64)
            )
        }
    }

    /// The fields of an event on the wire.
    private enum Field {
        static let numbers: [StaticString] = ["position", "version"]
        static let texts: [StaticString] = [
            "stream", "id", "type", "data", "metadata", "recorded_at", "prev_hash", "hash",
        ]

        static func matches(_ key: UnsafeRawBufferPointer, _ name: StaticString) -> Bool {
            key.count == name.utf8CodeUnitCount
                && key.elementsEqual(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        }
    }
}
