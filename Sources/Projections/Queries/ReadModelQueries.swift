public import Domain
public import EventLog
import Foundation
public import Logging
public import PostgresNIO
public import ReadModels

/// Answers queries from the read models, now or as of a past position or time, after waiting
/// (bounded) for the projection to reach what the caller needs.
public struct ReadModelQueries: Sendable {
    let client: PostgresClient
    let runner: ProjectionRunner
    let logger: Logger
    /// Today's date, replaceable so that "overdue" can be tested against any day.
    let today: @Sendable () -> ISODate
    /// The longest a query waits for a projection to reach the position it needs.
    let waitLimit: Duration

    public init(
        client: PostgresClient,
        runner: ProjectionRunner,
        logger: Logger,
        waitLimit: Duration = .seconds(5),
        today: @escaping @Sendable () -> ISODate
    ) {
        self.client = client
        self.runner = runner
        self.logger = logger
        self.waitLimit = waitLimit
        self.today = today
    }

    /// Where a query reads: the rows valid at `position`, judged on `today`.
    struct Snapshot {
        let position: LogPosition
        let today: ISODate
        /// Null for the current rows; the position for as-of rows.
        let asOf: LogPosition?
        /// The business day asked for with `ON`, if any.
        var on: ISODate?
    }

    func snapshot(of projection: String, at moment: QueryMoment) async throws(EventLogError) -> Snapshot {
        var needed = moment.after ?? 0
        var asOf: LogPosition?
        var day = today()
        switch moment.asOf {
        case nil: break
        case .position(let position):
            asOf = position
            needed = max(needed, position)
            if let recorded = try await recordedAt(position: position) {
                day = ISODate(recorded.date, timeZone: .chicago)
            }
        case .timestamp(let time):
            guard ISODate(time.date, timeZone: .chicago) <= day else {
                throw EventLogError.invalid(
                    "as-of",
                    "\(ISODate(time.date, timeZone: .chicago)) is in the future (today is \(day)); use ON for a business date"
                )
            }
            let position = try await lastPosition(recordedBy: time)
            asOf = position
            needed = max(needed, position)
            day = ISODate(time.date, timeZone: .chicago)
        }
        var reached = try await runner.checkpoint(of: projection)
        if reached < needed {
            guard try await runner.waitUntilApplied(projection, position: needed, timeout: waitLimit) else {
                throw EventLogError(
                    .unavailable,
                    "projection \(projection) has not reached position \(needed) yet; try again or see PROJECTION STATUS"
                )
            }
            reached = needed
        }
        return Snapshot(position: asOf ?? reached, today: moment.on ?? day, asOf: asOf, on: moment.on)
    }

    /// `COMMITMENT LIST`: one page of the board's rows matching `filter`, by due date.
    public func commitments(_ filter: CommitmentFilter, at moment: QueryMoment = QueryMoment())
        async throws(EventLogError) -> QueryAnswer<CommitmentRow>
    {
        let name = ReadModelCatalog.commitments.name
        let snapshot = try await listSnapshot(of: name, at: moment, cursor: filter.cursor)
        let list = Self.commitmentList(filter, at: snapshot)
        return try await listPage(list, of: name, limit: filter.limit, cursor: filter.cursor, snapshot: snapshot)
    }

    /// The statement of `COMMITMENT LIST` for `filter`: only the filters given become conditions.
    static func commitmentList(_ filter: CommitmentFilter, at snapshot: Snapshot) -> ListStatement {
        var list = ListStatement(table: "rm_commitments.rows", sortColumn: "due_on", snapshot: snapshot)
        if let org = filter.org { list.filter(org) { "owner_org = \($0)" } }
        if let status = filter.status { list.filter(status) { "status = \($0)" } }
        if filter.overdue {
            list.require("status = 'open'")
            list.filter(snapshot.today.description) { "due_on < \($0)" }
        }
        if let dueBefore = filter.dueBefore { list.filter(dueBefore.description) { "due_on < \($0)" } }
        if let caseID = filter.caseID { list.filter(caseID) { "case_id = \($0)" } }
        return list
    }

    /// Every version of one commitment's row, oldest first: its history on the board.
    public func commitmentHistory(_ id: String, at moment: QueryMoment = QueryMoment())
        async throws(EventLogError) -> QueryAnswer<CommitmentRow>
    {
        let snapshot = try await snapshot(of: "commitments", at: moment)
        let rows: [Lineaged<CommitmentRow>] = try await fetch(
            """
            SELECT key, valid_from, valid_to, last_event_id::text, doc::text FROM rm_commitments.rows
            WHERE key = \(id) AND valid_from <= \(snapshot.asOf ?? Int64.max)
              AND (\(snapshot.on?.description)::text IS NULL OR effective_on <= \(snapshot.on?.description))
            ORDER BY valid_from
            """
        )
        return QueryAnswer(rows: rows, position: snapshot.position, today: snapshot.today)
    }

    /// Rows valid now (`nil`) or at a position.
    static func validity(_ asOf: LogPosition?) -> String {
        guard let asOf else { return "valid_to IS NULL" }
        return "valid_from <= \(asOf) AND (valid_to IS NULL OR valid_to > \(asOf))"
    }

    /// The versions of `table` (a versioned rows table) that describe the snapshot: valid now or
    /// at its position; with a business day, per key the last version recorded by its position
    /// (or by now) whose `effective_on` is not after that day. Fixed SQL with a date and a number, no text.
    static func validity(_ snapshot: Snapshot, in table: String) -> String {
        guard let day = snapshot.on else { return validity(snapshot.asOf) }
        guard let asOf = snapshot.asOf else { return heldNow(on: day) }
        return """
            (key, valid_from) IN (
                SELECT DISTINCT ON (key) key, valid_from FROM \(table)
                WHERE valid_from <= \(asOf) AND effective_on <= '\(day)'
                ORDER BY key, valid_from DESC)
            """
    }

    /// The versions that held on `day` as known now: every later version is recorded, and each
    /// version keeps the earliest day among them (`superseded_on`), so a version held that day
    /// when it was effective by then and superseded only after.
    static func heldNow(on day: ISODate) -> String {
        "(effective_on <= '\(day)' AND (superseded_on IS NULL OR superseded_on > '\(day)'))"
    }

    /// The same versions as `validity(_:in:)`, as a condition on each row of `table` read in the
    /// statement: with a business day as known now, a version effective by that day and
    /// superseded (`superseded_on`) only after it; as known at a position, a version recorded by
    /// then, effective by that day, with no later such version of its key (found through the
    /// primary key). Lists, which filter and page the rows, use it: it leaves the other conditions
    /// free to narrow the rows first, where the set of `validity(_:in:)` at a position is built
    /// from every version (240 ms against 7 ms for an overdue page on a million-event board);
    /// aggregates over every row keep that set.
    static func rowValidity(_ snapshot: Snapshot, in table: String) -> String {
        guard let day = snapshot.on else { return validity(snapshot.asOf) }
        guard let asOf = snapshot.asOf else { return heldNow(on: day) }
        return """
            valid_from <= \(asOf) AND effective_on <= '\(day)'
              AND NOT EXISTS (
                SELECT 1 FROM \(table) later
                WHERE later.key = \(table).key AND later.valid_from > \(table).valid_from
                  AND later.valid_from <= \(asOf) AND later.effective_on <= '\(day)')
            """
    }

    /// One stored version of a row: its document decoded (and kept decoded when `kept`), with
    /// the positions it held between.
    static func version<Row: ReadModelRow>(
        _ document: String,
        from: LogPosition,
        to: LogPosition?,
        eventID: String,
        decoder: JSONDecoder,
        kept: Bool = true
    ) throws -> Lineaged<Row> {
        Lineaged(
            row: kept
                ? try DecodedRows.shared.row(Row.self, from: document, decoder: decoder)
                : try decoder.decode(Row.self, from: Data(document.utf8)),
            position: from,
            eventID: eventID,
            supersededAt: to
        )
    }

    func fetch<Row: ReadModelRow>(_ query: PostgresQuery) async throws(EventLogError) -> [Lineaged<Row>] {
        do {
            let rows = try await client.query(query, logger: logger)
            let decoder = JSONDecoder()
            var found: [Lineaged<Row>] = []
            for try await (_, from, to, eventID, document) in rows.decode((String, Int64, Int64?, String, String).self)
            {
                found.append(try Self.version(document, from: from, to: to, eventID: eventID, decoder: decoder))
            }
            return found
        } catch {
            logger.warning("read-model query failed", metadata: ["error": "\(String(reflecting: error))"])
            throw EventLogError(.unavailable, "the read model could not be queried")
        }
    }

    private func recordedAt(position: LogPosition) async throws(EventLogError) -> Timestamp? {
        guard position > 0 else { return nil }
        do {
            let rows = try await client.query(
                "SELECT (extract(epoch FROM recorded_at) * 1000000)::int8 FROM events WHERE position = \(position)",
                logger: logger
            )
            for try await micros in rows.decode(Int64.self) { return Timestamp(microsecondsSinceEpoch: micros) }
            throw EventLogError(.notFound, "as-of: position \(position) is past the head of the log")
        } catch let error as EventLogError {
            throw error
        } catch {
            throw EventLogError(.unavailable, "could not read the log")
        }
    }

    private func lastPosition(recordedBy time: Timestamp) async throws(EventLogError) -> LogPosition {
        do {
            let rows = try await client.query(
                """
                SELECT coalesce(max(position), 0) FROM events
                WHERE recorded_at <= to_timestamp(0) + \(time.microsecondsSinceEpoch) * interval '1 microsecond'
                """,
                logger: logger
            )
            for try await position in rows.decode(Int64.self) { return position }
            return 0
        } catch {
            throw EventLogError(.unavailable, "could not read the log")
        }
    }
}
