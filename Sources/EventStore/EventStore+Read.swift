public import EventLog
import Foundation
import NIOCore
import PostgresNIO

extension EventStore {
    /// The log's head: the last committed position and its hash.
    public func head() async throws(EventLogError) -> LogHead {
        try await database { [client, logger] in
            let head = try await KnownHead.read(from: client, logger: logger)
            return LogHead(position: head.position, hash: head.hash)
        }
    }

    /// The version of the stream's last event, or -1 when the stream has none.
    public func version(of stream: StreamName) async throws(EventLogError) -> StreamVersion {
        try await database { [client, logger] in
            let rows = try await client.query(
                "SELECT coalesce(max(version), -1) FROM events WHERE stream = \(stream.rawValue)",
                logger: logger
            )
            for try await version in rows.decode(Int64.self) { return version }
            return -1
        }
    }

    /// Names of the streams starting with `prefix`, sorted.
    public func streams(withPrefix prefix: String) async throws(EventLogError) -> [String] {
        try await database { [client, logger] in
            let rows = try await client.query(
                "SELECT DISTINCT stream FROM events WHERE stream LIKE \(Self.likePattern(prefix: prefix)) ORDER BY stream",
                logger: logger
            )
            var names: [String] = []
            for try await name in rows.decode(String.self) { names.append(name) }
            return names
        }
    }

    /// Up to `limit` events of `stream`, forward from `version`.
    public func read(
        stream: StreamName,
        from version: StreamVersion = 0,
        limit: Int = 1000
    ) async throws(EventLogError) -> [RecordedEvent] {
        try await fetch(
            """
            SELECT \(unescaped: Self.eventColumns) FROM events
            WHERE stream = \(stream.rawValue) AND version >= \(version)
            ORDER BY version LIMIT \(Int64(max(0, limit)))
            """
        )
    }

    /// Every event of each of `streams` from the version `versions` gives for it, in one query:
    /// stream by stream (in name order), each in version order.
    public func read(streams: [StreamName], from versions: [StreamVersion]) async throws(EventLogError)
        -> [RecordedEvent]
    {
        guard streams.count == versions.count else {
            throw EventLogError(.internal, "\(streams.count) streams but \(versions.count) versions to read from")
        }
        return try await fetch(
            """
            SELECT \(unescaped: Self.eventColumns) FROM events
            JOIN unnest(\(streams.map(\.rawValue))::text[], \(versions)::bigint[]) AS wanted(wanted_stream, wanted_from)
              ON stream = wanted_stream AND version >= wanted_from
            ORDER BY stream, version
            """
        )
    }

    /// Up to `limit` events of the whole log, forward from `position`, in position order.
    ///
    /// Positions become visible in order, so a reader that continues from the last position it
    /// saw never skips an event.
    public func readAll(from position: LogPosition = 1, limit: Int = 1000) async throws(EventLogError)
        -> [RecordedEvent]
    {
        try await fetch(
            """
            SELECT \(unescaped: Self.eventColumns) FROM events
            WHERE position >= \(position)
            ORDER BY position LIMIT \(Int64(max(0, limit)))
            """
        )
    }

    /// The log forward from `position` for a reader of some event types only: up to `limit`
    /// events whose type starts with one of `typePrefixes` (every event when nil), in position
    /// order, and the last position the read covered. A reader that continues after `through`
    /// never misses an event of those types.
    public func readAll(from position: LogPosition, limit: Int, typePrefixes: [String]?) async throws(EventLogError)
        -> LogSlice
    {
        guard let typePrefixes else {
            let events = try await readAll(from: position, limit: limit)
            return LogSlice(events: events, through: events.last?.position ?? position - 1)
        }
        let head = try await head().position
        guard head >= position else { return LogSlice(events: [], through: position - 1) }
        let events = try await fetch(
            """
            SELECT \(unescaped: Self.eventColumns) FROM events
            WHERE position >= \(position) AND position <= \(head)
              AND type LIKE ANY (\(typePrefixes.map { Self.likePattern(prefix: $0) }))
            ORDER BY position LIMIT \(Int64(max(1, limit)))
            """
        )
        let isFull = events.count >= limit
        return LogSlice(events: events, through: isFull ? events.last?.position ?? head : head)
    }

    /// A `LIKE` pattern matching the texts that start with `prefix`.
    static func likePattern(prefix: String) -> String {
        prefix.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
    }

    /// The columns of a `RecordedEvent`.
    static let eventColumns = "position, stream, version, id, type, data, metadata, recorded_at, prev_hash, hash"

    private func fetch(_ query: PostgresQuery) async throws(EventLogError) -> [RecordedEvent] {
        try await database { [client, logger] in
            let rows = try await client.query(query, logger: logger)
            var events: [RecordedEvent] = []
            for try await row in rows {
                events.append(try Self.recordedEvent(from: row))
            }
            return events
        }
    }

    /// The event a row of `eventColumns` holds, decoded column by column (decoding the row as a
    /// tuple looked up generic metadata for every row: a quarter of a `LOG READ`'s time).
    static func recordedEvent(from row: PostgresRow) throws -> RecordedEvent {
        var cells = row.makeIterator()
        func next() throws -> PostgresCell {
            guard let cell = cells.next() else { throw unexpectedRow }
            return cell
        }
        return RecordedEvent(
            position: try next().decode(Int64.self),
            stream: try next().decode(String.self),
            version: try next().decode(Int64.self),
            id: try next().decode(UUID.self),
            type: try next().decode(String.self),
            data: try next().decode(String.self),
            metadata: try next().decode(String.self),
            recordedAt: try Self.timestamp(next()),
            previousHash: Array(buffer: try next().decode(ByteBuffer.self)),
            hash: Array(buffer: try next().decode(ByteBuffer.self))
        )
    }

    /// A finite `timestamptz` exactly, to the microsecond: its binary form counts microseconds
    /// from 2000-01-01 (a `Date` would round through floating point).
    static func timestamp(_ cell: PostgresCell) throws -> Timestamp {
        guard cell.dataType == .timestamptz, cell.format == .binary, var bytes = cell.bytes,
            let micros = bytes.readInteger(as: Int64.self), micros != .max, micros != .min
        else { throw unexpectedRow }
        return Timestamp(microsecondsSinceEpoch: micros + Self.microsecondsFrom1970To2000)
    }

    private static let microsecondsFrom1970To2000: Int64 = 946_684_800_000_000

    /// A row that is not an event's columns: answered as a column that does not decode is, never as
    /// an unavailable database (which would send the store probing for it).
    private static let unexpectedRow = EventLogError(.internal, "unexpected data from the database")
}
