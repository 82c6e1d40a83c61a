import AdminProtocol
public import EventLog
import Foundation

/// Reads the log over the protocol for `caselog export`: `LOG READ` page by page, each event as
/// stored, filtered by stream and type on the way.
public struct HistoryExport: Sendable {
    /// Which events to export.
    public struct Range: Sendable {
        public var from: LogPosition = 1
        /// The last position (nil: the head when the export starts).
        public var through: LogPosition?
        public var stream: String?
        public var type: String?

        public init(from: LogPosition = 1, through: LogPosition? = nil, stream: String? = nil, type: String? = nil) {
            self.from = from
            self.through = through
            self.stream = stream
            self.type = type
        }
    }

    /// Events per `LOG READ`.
    public static let pageSize = 10_000

    public let range: Range

    public init(range: Range) {
        self.range = range
    }

    /// Reads the range through `client`, handing each kept event to `write` and the positions
    /// read so far (and the last one) to `progress`; returns the number of events written.
    public func run(
        _ client: RESPClient,
        progress: (_ read: Int64, _ total: Int64) -> Void = { _, _ in },
        write: (RecordedEvent) throws -> Void
    ) async throws -> Int64 {
        let head = try ServerRefusal.check(try await client.command("LOG", "HEAD"))
        guard case .integer(let headPosition) = head["position"] else {
            throw HistoryExportError("the server's LOG HEAD has no position: \(head)")
        }
        let last = min(range.through ?? headPosition, headPosition)
        let first = max(range.from, 1)
        var written: Int64 = 0
        var requested = first
        // The next page is asked for before this one is written out, so the server reads it
        // from the database while the client writes.
        func ask(from position: LogPosition) async throws {
            let count = min(Int64(Self.pageSize), last - position + 1)
            try await client.send(
                raw: RESPClient.encode(["LOG", "READ", "FROM", String(position), "COUNT", String(count)])
            )
        }
        if requested <= last { try await ask(from: requested) }
        while requested <= last {
            let page = try ServerRefusal.check(try await client.reply())
            guard case .array(let items) = page, !items.isEmpty, case .integer(let end) = items.last?["position"]
            else {
                throw HistoryExportError("the log ended at position \(requested - 1), before \(last)")
            }
            requested = end + 1
            if requested <= last { try await ask(from: requested) }
            for item in items {
                let event = try Self.event(item)
                guard event.position <= last else { break }
                if let stream = range.stream, event.stream != stream { continue }
                if let type = range.type, event.type != type { continue }
                try write(event)
                written += 1
            }
            progress(min(requested, last + 1) - first, last - first + 1)
        }
        return written
    }

    /// An event as `LOG READ` answers it (a map in RESP3, a flat key-value array in RESP2): its
    /// fields read in one pass over the reply, whatever their order.
    static func event(_ reply: RESPValue) throws -> RecordedEvent {
        var fields: [String: RESPValue] = [:]
        fields.reserveCapacity(10)
        switch reply {
        case .map(let entries):
            for entry in entries { if let key = entry.key.text { fields[key] = entry.value } }
        case .array(let items):
            for index in stride(from: 0, to: items.count - 1, by: 2) {
                if let key = items[index].text { fields[key] = items[index + 1] }
            }
        default:
            throw HistoryExportError("an event the server sent is not a map: \(reply)")
        }
        func text(_ key: String) throws -> String {
            guard let value = fields[key]?.text else { throw HistoryExportError("an event without \(key): \(reply)") }
            return value
        }
        func number(_ key: String) throws -> Int64 {
            guard case .integer(let value) = fields[key] else {
                throw HistoryExportError("an event without \(key): \(reply)")
            }
            return value
        }
        guard let id = UUID(uuidString: try text("id")), let recordedAt = Timestamp(iso8601: try text("recorded_at")),
            let previousHash = Hex.decode(try text("prev_hash")), let hash = Hex.decode(try text("hash"))
        else { throw HistoryExportError("an event the server sent is malformed: \(reply)") }
        return RecordedEvent(
            position: try number("position"),
            stream: try text("stream"),
            version: try number("version"),
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

/// The export could not be completed; the message says why (the server's error where it refused).
public struct HistoryExportError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
