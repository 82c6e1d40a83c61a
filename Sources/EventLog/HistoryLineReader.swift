import Crypto

import struct Foundation.UUID

/// Reads the lines of an exported history into chain links.
///
/// A line in exactly the form `HistoryFile.jsonLine` writes (its keys in that order, no
/// whitespace) is read straight from its bytes: the string fields unescaped into a reused buffer,
/// the other fields checked in place, and its canonical bytes written (by `EventChain`'s one
/// definition) and hashed from there. Any other line goes through `HistoryFile.event(fromJSONLine:)`,
/// which accepts every JSON form of an event line and names what is wrong with a malformed one;
/// both give the same verdict on the same event.
struct HistoryLineReader {
    /// What a line says: its link and whether its content matches its hash, or why it is not an event line.
    enum Reading: Equatable {
        case link(ChainLink, contentHolds: Bool)
        case malformed(String)
    }

    private let data = ScratchBytes()
    private let metadata = ScratchBytes()
    /// The previous hash followed by the canonical bytes: what the line's hash is over.
    private let hashed = ScratchBytes()

    init() {}

    mutating func read(_ line: UnsafeBufferPointer<UInt8>) -> Reading {
        readExporterForm(line) ?? Self.readAnyForm(line)
    }

    /// The reading of any line, through the general JSON reader.
    static func readAnyForm(_ line: UnsafeBufferPointer<UInt8>) -> Reading {
        do {
            let event = try HistoryFile.event(fromJSONLine: Substring(decoding: line, as: UTF8.self))
            let holds = EventChain.hash(of: event, after: event.previousHash) == event.hash
            return .link(ChainLink(event), contentHolds: holds)
        } catch {
            return .malformed(error.description)
        }
    }

    /// The reading of a line in exactly the exporter's form with every field well-formed; nil for
    /// any other line.
    mutating func readExporterForm(_ line: UnsafeBufferPointer<UInt8>) -> Reading? {
        var cursor = LineCursor(line)
        guard cursor.skip("{\"data\":\""), let data = cursor.unescapedString(into: data),
            cursor.skip(",\"hash\":\""), let hash = cursor.hash(), cursor.skip("\",\"id\":\""),
            let id = cursor.lowercaseUUID(), cursor.skip("\",\"metadata\":\""),
            let metadata = cursor.unescapedString(into: metadata), cursor.skip(",\"position\":"),
            let position = cursor.number(), cursor.skip(",\"prev_hash\":\""), let previousHash = cursor.hash(),
            cursor.skip("\",\"recorded_at\":\""), let recordedAt = cursor.timestamp(),
            cursor.skip("\",\"stream\":\""), let stream = cursor.plainString(), cursor.skip(",\"type\":\""),
            let type = cursor.plainString(), cursor.skip(",\"version\":"), let version = cursor.number(),
            cursor.skip("}"), cursor.atEnd
        else { return nil }
        let tag = EventChain.formatTagUTF8
        let lineFeed: StaticString = "\n"
        // The canonical bytes are no longer than the line's fields and the tag, with a line feed each.
        hashed.reserve(previousHash.count + tag.utf8CodeUnitCount + line.count + 9)
        var count = 0
        func write(_ piece: UnsafeBufferPointer<UInt8>) {
            guard let start = piece.baseAddress else { return }
            (hashed.base + count).update(from: start, count: piece.count)
            count += piece.count
        }
        previousHash.withUnsafeBufferPointer(write)
        EventChain.writeCanonicalLines(
            position: position.text,
            stream: stream,
            version: version.text,
            id: id,
            type: type,
            recordedAt: recordedAt,
            data: data,
            metadata: metadata,
            tag: UnsafeBufferPointer(start: tag.utf8Start, count: tag.utf8CodeUnitCount),
            lineFeed: UnsafeBufferPointer(start: lineFeed.utf8Start, count: lineFeed.utf8CodeUnitCount),
            to: write
        )
        var hasher = SHA256()
        hasher.update(bufferPointer: UnsafeRawBufferPointer(start: hashed.base, count: count))
        let digest = hasher.finalize()
        let link = ChainLink(position: position.value, previousHash: previousHash, hash: hash)
        return .link(link, contentHolds: digest.elementsEqual(hash))
    }
}

/// Bytes written in place and reused from line to line.
private final class ScratchBytes {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int

    init() {
        capacity = 4096
        base = .allocate(capacity: capacity)
    }

    /// Makes room for `count` bytes, dropping what was there.
    func reserve(_ count: Int) {
        guard count > capacity else { return }
        base.deallocate()
        capacity = max(count, 2 * capacity)
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }
}

/// A position in one line, taking its fields in turn; each step fails (false or nil) on anything
/// but the exporter's own form.
private struct LineCursor {
    let line: UnsafeBufferPointer<UInt8>
    private var at = 0

    init(_ line: UnsafeBufferPointer<UInt8>) { self.line = line }

    var atEnd: Bool { at == line.count }

    /// Steps over `literal` if the line goes on with it.
    mutating func skip(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard line.count - at >= count else { return false }
        for offset in 0..<count where line[at + offset] != literal.utf8Start[offset] { return false }
        at += count
        return true
    }

    /// The next `count` bytes.
    private mutating func take(_ count: Int) -> UnsafeBufferPointer<UInt8>? {
        guard line.count - at >= count else { return nil }
        defer { at += count }
        return UnsafeBufferPointer(rebasing: line[at..<at + count])
    }

    /// 64 hex digits, as the 32 bytes they stand for.
    mutating func hash() -> [UInt8]? {
        guard let digits = take(64) else { return nil }
        var invalid: UInt8 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: 32) { bytes, count in
            for index in 0..<32 {
                let high = Hex.nibble(digits[2 * index]), low = Hex.nibble(digits[2 * index + 1])
                invalid |= (high | low) & 0xF0
                bytes[index] = high << 4 | low
            }
            count = 32
        }
        return invalid == 0 ? bytes : nil
    }

    /// A UUID in lowercase hyphenated hex (8-4-4-4-12), the text the canonical bytes hold.
    mutating func lowercaseUUID() -> UnsafeBufferPointer<UInt8>? {
        guard let text = take(36) else { return nil }
        for (offset, byte) in text.enumerated() {
            let isHyphen = offset == 8 || offset == 13 || offset == 18 || offset == 23
            let holds =
                isHyphen
                ? byte == UInt8(ascii: "-")
                : (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            guard holds else { return nil }
        }
        return text
    }

    /// A timestamp in the chain's form.
    mutating func timestamp() -> UnsafeBufferPointer<UInt8>? {
        guard let text = take(27), Timestamp(iso8601UTF8: text) != nil else { return nil }
        return text
    }

    /// A whole number in decimal without leading zeros, short enough that a JSON reader (which
    /// reads numbers as doubles) gives back exactly its value.
    mutating func number() -> (value: Int64, text: UnsafeBufferPointer<UInt8>)? {
        let start = at
        var value: Int64 = 0
        while at < line.count, at - start < 16, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(line[at]) {
            value = value * 10 + Int64(line[at] - UInt8(ascii: "0"))
            at += 1
        }
        let count = at - start
        guard count > 0, count <= 15, count == 1 || line[start] != UInt8(ascii: "0") else { return nil }
        return (value, UnsafeBufferPointer(rebasing: line[start..<at]))
    }

    /// The rest of a string of printable ASCII with no escapes, and its closing quote.
    mutating func plainString() -> UnsafeBufferPointer<UInt8>? {
        let start = at
        while at < line.count {
            let byte = line[at]
            if byte == UInt8(ascii: "\"") {
                defer { at += 1 }
                return UnsafeBufferPointer(rebasing: line[start..<at])
            }
            guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else { return nil }
            at += 1
        }
        return nil
    }

    /// The rest of a JSON string and its closing quote, its text (valid UTF-8) unescaped into
    /// `scratch`; nil for an escape that stands for more than an ASCII character.
    mutating func unescapedString(into scratch: ScratchBytes) -> UnsafeBufferPointer<UInt8>? {
        scratch.reserve(line.count - at)
        let out = scratch.base
        var count = 0
        var run = at
        while at < line.count {
            let byte = line[at]
            if byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
                at += 1
                continue
            }
            if byte >= 0x80 {
                guard let length = JSONParser.utf8SequenceLength(in: line, at: at) else { return nil }
                at += length
                continue
            }
            if let start = line.baseAddress, at > run {
                (out + count).update(from: start + run, count: at - run)
                count += at - run
            }
            guard byte == UInt8(ascii: "\\"), let (unescaped, length) = escape() else {
                at += 1
                return byte == UInt8(ascii: "\"") ? UnsafeBufferPointer(start: out, count: count) : nil
            }
            out[count] = unescaped
            count += 1
            at += length
            run = at
        }
        return nil
    }

    /// The ASCII character the escape at the cursor stands for, and the escape's length.
    private func escape() -> (UInt8, Int)? {
        guard at + 1 < line.count else { return nil }
        switch line[at + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return (line[at + 1], 2)
        case UInt8(ascii: "b"): return (0x08, 2)
        case UInt8(ascii: "f"): return (0x0C, 2)
        case UInt8(ascii: "n"): return (0x0A, 2)
        case UInt8(ascii: "r"): return (0x0D, 2)
        case UInt8(ascii: "t"): return (0x09, 2)
        case UInt8(ascii: "u"):
            guard line.count - at >= 6, line[at + 2] == UInt8(ascii: "0"), line[at + 3] == UInt8(ascii: "0"),
                let high = Hex.value(line[at + 4]), let low = Hex.value(line[at + 5]), high < 8
            else { return nil }
            return (high << 4 | low, 6)
        default: return nil
        }
    }
}
