import EventLog
import PostgresNIO
import ReadModels

/// One page of a list query, its SQL built from the filters actually given: a plan made once for
/// every value (`plan_cache_mode = force_generic_plan`) then still sees which columns are
/// filtered and reaches the rows through the index made for them. Values are always bound.
struct ListStatement {
    /// The table read, e.g. `rm_commitments.rows` (fixed SQL, never a value).
    let table: String
    /// The column the list is sorted by before its key (fixed SQL).
    let sortColumn: String
    let descending: Bool
    /// Null for the current rows; the position for as-of rows.
    let asOf: LogPosition?
    private var conditions: [String] = []
    private var binds = PostgresBindings()

    /// The rows of `snapshot`, sorted by `sortColumn` then key: valid now or at its position, and
    /// with its business day (`ON`) per key the last version effective by that day unless
    /// `byBusinessDay` is false (a list whose own date column answers the day).
    init(
        table: String,
        sortColumn: String,
        descending: Bool = false,
        snapshot: ReadModelQueries.Snapshot,
        byBusinessDay: Bool = true
    ) {
        self.table = table
        self.sortColumn = sortColumn
        self.descending = descending
        self.asOf = snapshot.asOf
        conditions.append(
            byBusinessDay
                ? ReadModelQueries.rowValidity(snapshot, in: table) : ReadModelQueries.validity(snapshot.asOf)
        )
    }

    /// Adds a condition that holds as it is, with no value (fixed SQL).
    mutating func require(_ condition: String) {
        conditions.append(condition)
    }

    /// Adds `condition` on the placeholder `value` is bound to.
    mutating func filter<Value: PostgresDynamicTypeEncodable>(_ value: Value, _ condition: (String) -> String) {
        conditions.append(condition(bind(value)))
    }

    private mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    /// The page after `cursor` (from the start without one), at most `limit` rows and one more to
    /// tell whether another page follows. Each row: key, valid_from, valid_to, last_event_id,
    /// doc, its sort key, and, for a listing of the current rows, the projection's checkpoint read
    /// in the same statement (the position the rows stand at).
    func page(of projection: String, after cursor: ListCursor?, limit: Int) -> PostgresQuery {
        var statement = self
        if let cursor {
            let sortKey = statement.bind(cursor.sortKey)
            let key = statement.bind(cursor.key)
            statement.conditions.append(
                "(\(sortColumn), key) \(descending ? "<" : ">") (\(sortKey), \(key))"
            )
        }
        let checkpoint =
            asOf == nil
            ? "(SELECT position FROM projection_checkpoints WHERE name = \(statement.bind(projection)))"
            : "NULL::int8"
        let direction = descending ? " DESC" : ""
        let sql = """
            SELECT key, valid_from, valid_to, last_event_id::text, doc::text, \(sortColumn)::text, \(checkpoint)
            FROM \(table)
            WHERE \(statement.conditions.joined(separator: "\n  AND "))
            ORDER BY \(sortColumn)\(direction), key\(direction)
            LIMIT \(statement.bind(Int64(limit) + 1))
            """
        return PostgresQuery(unsafeSQL: sql, binds: statement.binds)
    }
}
