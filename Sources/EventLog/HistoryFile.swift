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
        var out: [UInt8] = []
        out.reserveCapacity(event.data.utf8.count + event.metadata.utf8.count + 400)
        func key(_ name: String, first: Bool = false) {
            out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: name.utf8)
            out.append(contentsOf: "\":".utf8)
        }
        func string(_ text: String) { JSONParser.appendEscaped(Array(text.utf8)[...], to: &out) }
        key("data", first: true)
        string(event.data)
        key("hash")
        string(Hex.encode(event.hash))
        key("id")
        string(event.id.lowercasedString)
        key("metadata")
        string(event.metadata)
        key("position")
        out.append(contentsOf: String(event.position).utf8)
        key("prev_hash")
        string(Hex.encode(event.previousHash))
        key("recorded_at")
        string(event.recordedAt.iso8601)
        key("stream")
        string(event.stream)
        key("type")
        string(event.type)
        key("version")
        out.append(contentsOf: String(event.version).utf8)
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// One CSV row (RFC 4180 quoting), without the line break.
    public static func csvRow(_ event: RecordedEvent) -> String {
        [
            String(event.position), quoted(event.stream), String(event.version), event.id.lowercasedString,
            quoted(event.type), quoted(event.data), quoted(event.metadata), event.recordedAt.iso8601,
            "\\x" + Hex.encode(event.previousHash), "\\x" + Hex.encode(event.hash),
        ].joined(separator: ",")
    }

    /// A field quoted when it holds a comma, a quote or a line break.
    private static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The event a JSON line holds; the error names the field that is missing or malformed.
    public static func event(fromJSONLine line: Substring) throws(HistoryFileError) -> RecordedEvent {
        let row: Row
        do {
            row = try JSONDecoder().decode(Row.self, from: Data(line.utf8))
        } catch {
            throw HistoryFileError("not an event line: \(Self.describe(error))")
        }
        guard let id = UUID(uuidString: row.id) else { throw HistoryFileError("id: not a UUID") }
        guard let recordedAt = Timestamp(iso8601: row.recorded_at) else {
            throw HistoryFileError("recorded_at: not in the form YYYY-MM-DDTHH:MM:SS.ffffffZ")
        }
        guard let previousHash = Hex.decode(row.prev_hash), previousHash.count == 32 else {
            throw HistoryFileError("prev_hash: not 64 hex digits")
        }
        guard let hash = Hex.decode(row.hash), hash.count == 32 else {
            throw HistoryFileError("hash: not 64 hex digits")
        }
        return RecordedEvent(
            position: row.position,
            stream: row.stream,
            version: row.version,
            id: id,
            type: row.type,
            data: row.data,
            metadata: row.metadata,
            recordedAt: recordedAt,
            previousHash: previousHash,
            hash: hash
        )
    }

    /// A JSON line's fields, named as written.
    private struct Row: Decodable {
        // swift-format-ignore: AlwaysUseLowerCamelCase
        let position: Int64, stream: String, version: Int64, id: String, type: String, data: String,
            metadata: String, recorded_at: String, prev_hash: String, hash: String
    }

    private static func describe(_ error: any Error) -> String {
        guard case DecodingError.keyNotFound(let key, _) = error else {
            if case DecodingError.typeMismatch(_, let context) = error,
                let key = context.codingPath.last?.stringValue
            {
                return "\(key) has the wrong type"
            }
            return "malformed JSON"
        }
        return "\(key.stringValue) is missing"
    }
}

/// A history file that cannot be read; the message names what is wrong.
public struct HistoryFileError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
