public import Domain
public import EventLog
import PostgresNIO
public import ReadModels

extension ReadModelQueries {
    /// `ACTIVITY LIST`: one page of the activities matching `filter`, most recent first.
    public func activities(_ filter: ActivityFilter, at moment: QueryMoment = QueryMoment())
        async throws(EventLogError) -> QueryAnswer<ActivityRow>
    {
        let name = ReadModelCatalog.activities.name
        let snapshot = try await listSnapshot(of: name, at: moment, cursor: filter.cursor)
        let list = Self.activityList(filter, at: snapshot)
        return try await listPage(list, of: name, limit: filter.limit, cursor: filter.cursor, snapshot: snapshot)
    }

    /// The statement of `ACTIVITY LIST` for `filter`: only the filters given become conditions.
    static func activityList(_ filter: ActivityFilter, at snapshot: Snapshot) -> ListStatement {
        var list = ListStatement(
            table: "rm_activities.rows",
            sortColumn: "occurred_on",
            descending: true,
            snapshot: snapshot,
            byBusinessDay: false
        )
        if let org = filter.org { list.filter(org) { "org = \($0)" } }
        if let area = filter.area { list.filter(Int64(area)) { "area_number = \($0)" } }
        if let theme = filter.theme { list.filter(theme) { "doc->'themes' @> jsonb_build_array(\($0)::text)" } }
        if let since = filter.since { list.filter(since.description) { "occurred_on >= \($0)" } }
        if let until = occurredBy(filter.until, on: snapshot.on) {
            list.filter(until.description) { "occurred_on <= \($0)" }
        }
        if let caseID = filter.caseID { list.filter(caseID) { "case_id = \($0)" } }
        if let status = filter.status { list.filter(status) { "status = \($0)" } }
        return list
    }

    /// `ACTIVITY STATS`: sessions and attendance of the recorded activities that occurred between
    /// `since` and `until` (both included), of one organization or all, per group, as they stood
    /// at the moment asked for.
    ///
    /// Each group's lineage is the last event that changed an activity it counts, or moved one
    /// into or out of it (a correction, a retraction); `supersededAt` is the next such event after
    /// an as-of moment. The current moment (no AS-OF; `ON` only bounds the days) reads whole
    /// months from the activities' tally and the days around them from the rows
    /// (`talliedStatistics`); an as-of moment scans every version (`scannedStatistics`).
    public func activityStatistics(
        by grouping: ActivityGrouping,
        since: ISODate? = nil,
        until: ISODate? = nil,
        org: String? = nil,
        at moment: QueryMoment = QueryMoment()
    ) async throws(EventLogError) -> QueryAnswer<ActivityStatistic> {
        let snapshot = try await snapshot(of: ReadModelCatalog.activities.name, at: moment)
        let until = Self.occurredBy(until, on: snapshot.on)
        let statement =
            if let asOf = snapshot.asOf {
                Self.scannedStatistics(by: grouping, since: since, until: until, org: org, at: asOf)
            } else {
                Self.talliedStatistics(by: grouping, since: since, until: until, org: org)
            }
        return QueryAnswer(rows: try await statistics(statement), position: snapshot.position, today: snapshot.today)
    }

    /// The statement of `ACTIVITY STATS` at position `at` (`Int64.max` for the current rows) that
    /// reads every version of the activities that occurred between `since` and `until`.
    static func scannedStatistics(
        by grouping: ActivityGrouping,
        since: ISODate?,
        until: ISODate?,
        org: String?,
        at: LogPosition
    ) -> PostgresQuery {
        let (group, label, order, joins) = ActivityProjection.grouping(grouping)
        return """
            WITH versions AS (
                SELECT \(unescaped: group) AS grp, \(unescaped: label) AS label, \(unescaped: order) AS sort,
                    r.valid_from, r.valid_to, (r.doc->>'attendance')::int8 AS attendance,
                    r.valid_from <= \(at) AND (r.valid_to IS NULL OR r.valid_to > \(at)) AS held
                FROM rm_activities.rows r\(unescaped: joins)
                WHERE r.status = 'recorded'
                  AND (\(org)::text IS NULL OR r.org = \(org))
                  AND (\(since?.description)::text IS NULL OR r.occurred_on >= \(since?.description))
                  AND (\(until?.description)::text IS NULL OR r.occurred_on <= \(until?.description))
            ), groups AS (
                SELECT grp, max(label) AS label, min(sort) AS sort,
                    count(*) FILTER (WHERE held) AS sessions,
                    coalesce(sum(attendance) FILTER (WHERE held), 0)::int8 AS attendance,
                    max(CASE WHEN valid_to <= \(at) THEN valid_to ELSE valid_from END)
                        FILTER (WHERE valid_from <= \(at)) AS changed,
                    min(CASE WHEN valid_from > \(at) THEN valid_from WHEN valid_to > \(at) THEN valid_to END)
                        AS next
                FROM versions GROUP BY grp
            )
            SELECT g.grp, g.label, g.sessions, g.attendance, g.changed, e.id::text, g.next
            FROM groups g JOIN events e ON e.position = g.changed
            WHERE g.sessions > 0
            ORDER BY g.sort NULLS LAST, g.grp NULLS LAST
            """
    }

    /// The rows a statistics statement answers: group, label, sessions, attendance, lineage.
    func statistics(_ statement: PostgresQuery) async throws(EventLogError) -> [Lineaged<ActivityStatistic>] {
        var found: [Lineaged<ActivityStatistic>] = []
        do {
            let rows = try await client.query(statement, logger: logger)
            for try await (group, label, sessions, attendance, changed, eventID, next) in rows.decode(
                (String?, String?, Int64, Int64, Int64, String, Int64?).self
            ) {
                found.append(
                    Lineaged(
                        row: ActivityStatistic(
                            group: group,
                            label: label,
                            sessions: Int(sessions),
                            attendance: Int(attendance)
                        ),
                        position: changed,
                        eventID: eventID,
                        supersededAt: next
                    )
                )
            }
        } catch {
            throw queryFailed(error)
        }
        return found
    }

    /// The last day an activity may have occurred on to count: `until`, and on a business day
    /// (`ON`) no later than that day; the activity's record itself is the one known at the moment.
    static func occurredBy(_ until: ISODate?, on day: ISODate?) -> ISODate? {
        [until, day].compactMap { $0 }.min()
    }
}
