public import EventLog
public import Logging
public import PostgresNIO
public import ReadModels

/// The activities read model: versioned activity rows, and `tallies`, the figures of
/// `ACTIVITY STATS` per grouping, group, organization and month, so that the statistics of the
/// current moment read whole months from a table that grows with the board, not its history.
///
/// A statement-level trigger keeps the tally in the statement that inserts or closes rows (the
/// rows' only changes): every recorded version adds its contribution (`contributions`), a closed
/// one takes its session and attendance back; each cell's `changed` is the last position at which
/// one of its versions was inserted or closed. The trigger finds the tally through the schema of
/// its table, so a rebuilt schema swapped in under the live name keeps it; tables of the earlier
/// shape are rebuilt from position 0 (`Projection.shape`).
public struct ActivityProjection: Projection {
    public let name: String
    /// The activity rows, in `<schema>.rows`.
    public let rows: VersionedRowsProjection<ActivityRow>

    public init(name: String = "activities") {
        self.name = name
        self.rows = VersionedRowsProjection<ActivityRow>(
            name: name,
            columns: [
                .init("org"), .init("occurred_on"), .init("month"), .init("area_number", "int"), .init("status"),
                .init("case_id"),
            ],
            indexes: [
                "(occurred_on, key) WHERE valid_to IS NULL",
                "(org, occurred_on) WHERE valid_to IS NULL",
                "(area_number, occurred_on) WHERE valid_to IS NULL",
                "(case_id) WHERE valid_to IS NULL AND case_id IS NOT NULL",
                "USING gin ((doc->'themes') jsonb_path_ops) WHERE valid_to IS NULL",
                "(occurred_on, key, valid_from, valid_to)",
                "(case_id, valid_from) WHERE case_id IS NOT NULL",
            ]
        )
    }

    public var eventTypePrefixes: [String]? { rows.eventTypePrefixes }

    public func createStatements(schema: String) -> [String] {
        let cells = ActivityGrouping.allCases.map { grouping in
            Self.contributions(
                grouping,
                from: "changed_rows",
                sign: Self.tallySign,
                leading: "'\(grouping.rawValue)' AS grouping, r.org, r.month, "
            ) + " WHERE r.status = 'recorded'"
        }
        return rows.createStatements(schema: schema) + [
            """
            CREATE TABLE \(schema).tallies (
                grouping text NOT NULL,
                grp text,
                label text,
                sort int,
                org text NOT NULL,
                month text NOT NULL,
                sessions int8 NOT NULL,
                attendance int8 NOT NULL,
                changed int8 NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX tallies_cell ON \(schema).tallies \(Self.cell)",
            """
            CREATE FUNCTION \(schema).tally_rows() RETURNS trigger LANGUAGE plpgsql AS $function$
            BEGIN
                EXECUTE format($statement$
                    INSERT INTO %I.tallies AS t (grouping, grp, label, sort, org, month, sessions, attendance, changed)
                    SELECT grouping, grp, max(label), min(sort), org, month, sum(sessions), sum(attendance), max(changed)
                    FROM (\(cells.joined(separator: " UNION ALL "))) cells
                    GROUP BY grouping, grp, org, month
                    ON CONFLICT \(Self.cell) DO UPDATE SET
                        label = greatest(t.label, excluded.label), sort = least(t.sort, excluded.sort),
                        sessions = t.sessions + excluded.sessions, attendance = t.attendance + excluded.attendance,
                        changed = greatest(t.changed, excluded.changed)
                    $statement$, TG_TABLE_SCHEMA) USING TG_OP = 'UPDATE';
                RETURN NULL;
            END
            $function$
            """,
            """
            CREATE TRIGGER tally_inserted AFTER INSERT ON \(schema).rows REFERENCING NEW TABLE AS changed_rows
            FOR EACH STATEMENT EXECUTE FUNCTION \(schema).tally_rows()
            """,
            """
            CREATE TRIGGER tally_closed AFTER UPDATE ON \(schema).rows REFERENCING NEW TABLE AS changed_rows
            FOR EACH STATEMENT EXECUTE FUNCTION \(schema).tally_rows()
            """,
        ]
    }

    public func upgradeStatements(schema: String) -> [String] {
        rows.upgradeStatements(schema: schema)
    }

    public func apply(_ events: [RecordedEvent], schema: String, on connection: PostgresConnection, logger: Logger)
        async throws
    {
        try await rows.apply(events, schema: schema, on: connection, logger: logger)
    }

    /// A tally's cell: one per grouping, group (null is a group of its own), organization and month.
    static let cell = "(grouping, month, org, (grp IS NULL), (coalesce(grp, '')))"

    /// A version's sessions in the trigger: one when inserted current, none when inserted already
    /// superseded, minus one when closed (`$1`: the statement is the update that closes rows).
    static let tallySign = "CASE WHEN $1 THEN -1 WHEN r.valid_to IS NULL THEN 1 ELSE 0 END"

    /// A version's sessions in the whole history: one while current.
    static let currentSign = "CASE WHEN r.valid_to IS NULL THEN 1 ELSE 0 END"

    /// What each version `r` of `relation` adds to its groups by `grouping` (a row per group it
    /// belongs to): `leading` columns, then `grp`, `label`, `sort`, `sessions` and `attendance`
    /// times `sign`, and `changed`, the position it was closed at, else inserted at. Fixed SQL, no
    /// values; the caller adds the conditions (`WHERE r.status = 'recorded' ...`).
    static func contributions(_ grouping: ActivityGrouping, from relation: String, sign: String, leading: String = "")
        -> String
    {
        let (group, label, sort, joins) = Self.grouping(grouping)
        return """
            SELECT \(leading)\(group) AS grp, \(label) AS label, \(sort) AS sort, \(sign) AS sessions,
                (\(sign)) * coalesce((r.doc->>'attendance')::int8, 0) AS attendance,
                coalesce(r.valid_to, r.valid_from) AS changed
            FROM \(relation) r\(joins)
            """
    }

    /// The group, label and sort expressions of `grouping` over a version `r`, and the join it
    /// needs (fixed SQL, no values): themes are unnested, a version without one in a null group.
    static func grouping(_ grouping: ActivityGrouping) -> (group: String, label: String, sort: String, joins: String) {
        switch grouping {
        case .area: return ("r.area_number::text", "r.doc->>'area_name'", "r.area_number", "")
        case .district:
            return (
                "r.doc->>'police_district'", "r.doc->>'police_district_name'", "(r.doc->>'police_district')::int", ""
            )
        case .org: return ("r.org", "NULL::text", "NULL::int", "")
        case .month: return ("r.month", "NULL::text", "NULL::int", "")
        case .theme:
            return (
                "t.theme", "NULL::text", "NULL::int",
                " LEFT JOIN LATERAL jsonb_array_elements_text(r.doc->'themes') AS t(theme) ON true"
            )
        }
    }
}
