import Foundation

/// The history as `caselog export` writes it and `caselog verify --file` reads it: one event per
/// line, exactly as stored, hashes included, so an auditor can check it with no server.
///
/// JSON lines carry `data` and `metadata` as strings holding the stored text, so that any JSON
/// reader gives back the exact bytes that were hashed. CSV rows have the columns and forms of
/// `psql --csv -c 'SELECT * FROM events'` (hashes as `\x` hex), which `docs/verify_chain.py` reads.
public enum HistoryFile {
    /// The formats `caselog export` writes.
    public enum Format: String, Sendable, CaseIterable {
        case jsonl
        case csv
    }

    /// The header row of the CSV form.
    public static let csvHeader = "position,stream,version,id,type,data,metadata,recorded_at,prev_hash,hash"

    /// One JSON object (keys sorted) on one line, without the line break.
    public static func jsonLine(_ event: RecordedEvent) -> String {
        EventText.with(event) { text in
            var out: [UInt8] = []
            appendJSONLine(text, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Appends the JSON line of `event` (without the line break) to `out`.
    public static func appendJSONLine(_ event: EventText, to out: inout [UInt8]) {
        func key(_ name: StaticString, first: Bool = false) {
            out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            out.append(contentsOf: "\":".utf8)
        }
        func string(_ text: UnsafeRawBufferPointer) { JSONParser.appendEscaped(text, to: &out) }
        key("data", first: true)
        string(event.data)
        key("hash")
        string(event.hash)
        key("id")
        string(event.id)
        key("metadata")
        string(event.metadata)
        key("position")
        appendDecimal(event.position, to: &out)
        key("prev_hash")
        string(event.previousHash)
        key("recorded_at")
        string(event.recordedAt)
        key("stream")
        string(event.stream)
        key("type")
        string(event.type)
        key("version")
        appendDecimal(event.version, to: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// One CSV row (RFC 4180 quoting), without the line break.
    public static func csvRow(_ event: RecordedEvent) -> String {
        EventText.with(event) { text in
            var out: [UInt8] = []
            appendCSVRow(text, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Appends the CSV row of `event` (without the line break) to `out`.
    public static func appendCSVRow(_ event: EventText, to out: inout [UInt8]) {
        let comma = UInt8(ascii: ",")
        appendDecimal(event.position, to: &out)
        out.append(comma)
        appendQuoted(event.stream, to: &out)
        out.append(comma)
        appendDecimal(event.version, to: &out)
        out.append(comma)
        out.append(contentsOf: event.id)
        for field in [event.type, event.data, event.metadata] {
            out.append(comma)
            appendQuoted(field, to: &out)
        }
        out.append(comma)
        out.append(contentsOf: event.recordedAt)
        for hash in [event.previousHash, event.hash] {
            out.append(comma)
            out.append(contentsOf: #"\x"#.utf8)
            out.append(contentsOf: hash)
        }
    }

    /// A field, quoted when it holds a comma, a quote or a line break.
    private static func appendQuoted(_ field: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        let quote = UInt8(ascii: "\"")
        guard field.contains(where: { $0 == UInt8(ascii: ",") || $0 == quote || $0 == 0x0A || $0 == 0x0D }) else {
            out.append(contentsOf: field)
            return
        }
        out.append(quote)
        for byte in field {
            if byte == quote { out.append(quote) }
            out.append(byte)
        }
        out.append(quote)
    }

    /// `number` in decimal (a small string: no allocation).
    private static func appendDecimal(_ number: Int64, to out: inout [UInt8]) {
        out.append(contentsOf: String(number).utf8)
    }

    /// The event a JSON line holds; the error names the field that is missing or malformed.
    public static func event(fromJSONLine line: Substring) throws(HistoryFileError) -> RecordedEvent {
        let fields: [String: JSONMember]
        do {
            fields = try CanonicalJSON.members(ofObject: String(line))
        } catch {
            throw HistoryFileError("not an event line: malformed JSON (\(error))")
        }
        let required = [
            "position", "stream", "version", "id", "type", "data", "metadata", "recorded_at", "prev_hash", "hash",
        ]
        if let missing = required.first(where: { fields[$0] == nil }) {
            throw HistoryFileError("not an event line: \(missing) is missing")
        }
        func text(_ key: String) throws(HistoryFileError) -> String {
            guard let text = fields[key]?.string else {
                throw HistoryFileError("not an event line: \(key) has the wrong type")
            }
            return text
        }
        func number(_ key: String) throws(HistoryFileError) -> Int64 {
            guard let field = fields[key], field.kind == .number, let number = Int64(field.canonical) else {
                throw HistoryFileError("not an event line: \(key) has the wrong type")
            }
            return number
        }
        let position = try number("position")
        let version = try number("version")
        guard let id = UUID(uuidString: try text("id")) else { throw HistoryFileError("id: not a UUID") }
        guard let recordedAt = Timestamp(iso8601: try text("recorded_at")) else {
            throw HistoryFileError("recorded_at: not in the form YYYY-MM-DDTHH:MM:SS.ffffffZ")
        }
        guard let previousHash = Hex.decode(try text("prev_hash")), previousHash.count == 32 else {
            throw HistoryFileError("prev_hash: not 64 hex digits")
        }
        guard let hash = Hex.decode(try text("hash")), hash.count == 32 else {
            throw HistoryFileError("hash: not 64 hex digits")
        }
        return RecordedEvent(
            position: position,
            stream: try text("stream"),
            version: version,
            id: id,
            type: try text("type"),
            data: try text("data"),
            metadata: try text("metadata"),
            recordedAt: recordedAt,
            previousHash: previousHash,
            hash: hash
        )
    }
}

/// A history file that cannot be read; the message names what is wrong.
public struct HistoryFileError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
