import Domain
public import EventLog
import Foundation
public import Logging
public import PostgresNIO
public import ReadModels

/// A projection keeping one row per entity, folded by `Row`, with every version of every row
/// and the positions it held between: the current state is the rows whose `valid_to` is null,
/// the state as of position p the rows with `valid_from <= p < valid_to`.
///
/// Each version also records `effective_on`, the business day from which it held: the latest day
/// any event folded into it records (made on, fulfilled on, opened on, …; an event recording no
/// day, such as a correction, keeps the day before it). The state on day D as known at position p
/// is, per key, the last version with `valid_from <= p` and `effective_on <= D`. Each version
/// keeps `superseded_on`, the earliest `effective_on` of the versions of its key recorded after
/// it (null while none is), so that the state on day D as known now is the versions with
/// `effective_on <= D < superseded_on`, read row by row without looking for later versions.
///
/// Rows are stored as JSON documents; `columns` are generated from them for filtering and
/// indexing. A batch is applied in four statements whatever its size: read the current rows
/// it touches, close them, insert the new versions, move the checkpoint (by the runtime).
public struct VersionedRowsProjection<Row: ReadModelRow>: Projection {
    /// A column generated from the document for queries, e.g. `status text` from `status`.
    public struct Column: Sendable {
        public let name: String
        public let type: String
        public init(_ name: String, _ type: String = "text") {
            self.name = name
            self.type = type
        }
    }

    public let name: String
    public let columns: [Column]
    /// Extra index definitions on `<schema>.rows`, e.g. `(due_on) WHERE valid_to IS NULL`.
    public let indexes: [String]

    public init(name: String, columns: [Column], indexes: [String]) {
        self.name = name
        self.columns = columns
        self.indexes = indexes
    }

    public var eventTypePrefixes: [String]? { [Row.eventTypePrefix] }

    public func createStatements(schema: String) -> [String] {
        let generated = columns.map { column in
            let cast = column.type == "text" ? "doc->>'\(column.name)'" : "(doc->>'\(column.name)')::\(column.type)"
            return "\(column.name) \(column.type) GENERATED ALWAYS AS (\(cast)) STORED"
        }
        return [
            """
            CREATE TABLE \(schema).rows (
                key text NOT NULL,
                valid_from bigint NOT NULL,
                valid_to bigint,
                last_event_id uuid NOT NULL,
                doc jsonb NOT NULL,
                effective_on text NOT NULL,
                superseded_on text,
                \(generated.map { $0 + ",\n" }.joined())PRIMARY KEY (key, valid_from)
            )
            """,
            "CREATE UNIQUE INDEX rows_current ON \(schema).rows (key) WHERE valid_to IS NULL",
        ] + upgradeStatements(schema: schema)
    }

    /// The extra indexes, each created unless it exists: tables of an earlier version get those
    /// added since.
    public func upgradeStatements(schema: String) -> [String] {
        indexes.enumerated().map { "CREATE INDEX IF NOT EXISTS rows_\($0.offset) ON \(schema).rows \($0.element)" }
    }

    public func apply(_ events: [RecordedEvent], schema: String, on connection: PostgresConnection, logger: Logger)
        async throws
    {
        let changes = try DomainEvents.decode(events) { $0.type.hasPrefix(Row.eventTypePrefix) }.compactMap {
            decoded -> (key: String, event: DomainEvent, origin: EventOrigin)? in
            Row.key(of: decoded.event, origin: decoded.origin).map { ($0, decoded.event, decoded.origin) }
        }
        guard !changes.isEmpty else { return }

        let current = try await currentRows(
            Array(Set(changes.map(\.key))),
            schema: schema,
            on: connection,
            logger: logger
        )
        let hadRow = Set(current.keys)
        var effective = current.mapValues(\.effectiveOn)
        var rows = current.mapValues(\.row)
        var versions: [(key: String, from: LogPosition, eventID: String, row: Row, effectiveOn: ISODate)] = []
        var closing: [String: LogPosition] = [:]
        var superseded: [Int: LogPosition] = [:]
        var latestVersion: [String: Int] = [:]
        for change in changes {
            let before = rows[change.key]
            let after = Row.applying(change.event, to: before, origin: change.origin)
            guard after != before else { continue }
            if let index = latestVersion[change.key] {
                superseded[index] = change.origin.position
            } else if hadRow.contains(change.key), closing[change.key] == nil {
                closing[change.key] = change.origin.position
            }
            rows[change.key] = after
            let day = Self.effectiveOn(change.event, origin: change.origin, before: effective[change.key])
            effective[change.key] = day
            if let after {
                latestVersion[change.key] = versions.count
                versions.append((change.key, change.origin.position, change.origin.eventID, after, day))
            } else {
                latestVersion[change.key] = nil
            }
        }
        // Per key, the earliest day of the new versions, and for each new version that of those after it.
        var earliestNew: [String: ISODate] = [:]
        var supersededOn = [String](repeating: "", count: versions.count)
        for index in versions.indices.reversed() {
            let version = versions[index]
            supersededOn[index] = earliestNew[version.key]?.description ?? ""
            earliestNew[version.key] = min(version.effectiveOn, earliestNew[version.key] ?? version.effectiveOn)
        }
        let keys = Array(Set(closing.keys).union(earliestNew.keys))
        if !keys.isEmpty {
            // The current row closes; every earlier version learns the earliest day recorded after it.
            try await connection.query(
                """
                UPDATE \(unescaped: schema).rows AS r
                SET valid_to = coalesce(r.valid_to, c.valid_to), superseded_on = least(r.superseded_on, c.superseded_on)
                FROM (
                    SELECT key, nullif(valid_to, 0) AS valid_to, nullif(superseded_on, '') AS superseded_on
                    FROM unnest(
                        \(keys)::text[], \(keys.map { closing[$0] ?? 0 })::int8[],
                        \(keys.map { earliestNew[$0]?.description ?? "" })::text[]
                    ) AS u(key, valid_to, superseded_on)
                ) AS c
                WHERE r.key = c.key
                  AND ((r.valid_to IS NULL AND c.valid_to IS NOT NULL)
                    OR (c.superseded_on IS NOT NULL AND (r.superseded_on IS NULL OR r.superseded_on > c.superseded_on)))
                """,
                logger: logger
            )
        }
        guard !versions.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var documents: [String] = []
        for version in versions {
            documents.append(String(decoding: try encoder.encode(version.row), as: UTF8.self))
        }
        try await connection.query(
            """
            INSERT INTO \(unescaped: schema).rows
                (key, valid_from, valid_to, last_event_id, doc, effective_on, superseded_on)
            SELECT key, valid_from, NULLIF(valid_to, 0), event_id::uuid, doc::jsonb, effective_on,
                NULLIF(superseded_on, '')
            FROM unnest(
                \(versions.map(\.key))::text[], \(versions.map(\.from))::int8[],
                \(versions.indices.map { superseded[$0] ?? 0 })::int8[],
                \(versions.map(\.eventID))::text[], \(documents)::text[],
                \(versions.map(\.effectiveOn.description))::text[], \(supersededOn)::text[]
            ) AS v(key, valid_from, valid_to, event_id, doc, effective_on, superseded_on)
            """,
            logger: logger
        )
    }

    /// The business day a version made by `event` held from: the day the event records, never
    /// before the day of the version `before` it; that day (or the day recorded) when it records none.
    static func effectiveOn(_ event: DomainEvent, origin: EventOrigin, before: ISODate?) -> ISODate {
        guard let day = event.effectiveOn else { return before ?? origin.recordedOn }
        guard let before else { return day }
        return max(day, before)
    }

    private func currentRows(_ keys: [String], schema: String, on connection: PostgresConnection, logger: Logger)
        async throws -> [String: (row: Row, effectiveOn: ISODate)]
    {
        let rows = try await connection.query(
            """
            SELECT key, doc::text, effective_on FROM \(unescaped: schema).rows
            WHERE valid_to IS NULL AND key = ANY(\(keys)::text[])
            """,
            logger: logger
        )
        let decoder = JSONDecoder()
        var found: [String: (row: Row, effectiveOn: ISODate)] = [:]
        for try await (key, document, day) in rows.decode((String, String, String).self) {
            found[key] = (try decoder.decode(Row.self, from: Data(document.utf8)), try ISODate(parsing: day))
        }
        return found
    }
}
