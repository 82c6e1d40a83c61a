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
    /// an as-of moment.
    public func activityStatistics(
        by grouping: ActivityGrouping,
        since: ISODate? = nil,
        until: ISODate? = nil,
        org: String? = nil,
        at moment: QueryMoment = QueryMoment()
    ) async throws(EventLogError) -> QueryAnswer<ActivityStatistic> {
        let snapshot = try await snapshot(of: ReadModelCatalog.activities.name, at: moment)
        let until = Self.occurredBy(until, on: snapshot.on)
        let at = snapshot.asOf ?? Int64.max
        let (group, label, order, from) = Self.statisticsGroup(grouping)
        var found: [Lineaged<ActivityStatistic>] = []
        do {
            let rows = try await client.query(
                """
                WITH versions AS (
                    SELECT \(unescaped: group) AS grp, \(unescaped: label) AS label, \(unescaped: order) AS sort,
                        r.valid_from, r.valid_to, (r.doc->>'attendance')::int8 AS attendance,
                        r.valid_from <= \(at) AND (r.valid_to IS NULL OR r.valid_to > \(at)) AS held
                    FROM \(unescaped: from)
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
                """,
                logger: logger
            )
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
        return QueryAnswer(rows: found, position: snapshot.position, today: snapshot.today)
    }

    /// The last day an activity may have occurred on to count: `until`, and on a business day
    /// (`ON`) no later than that day; the activity's record itself is the one known at the moment.
    static func occurredBy(_ until: ISODate?, on day: ISODate?) -> ISODate? {
        [until, day].compactMap { $0 }.min()
    }

    /// The group, label and sort expressions and the FROM clause of `grouping` (fixed SQL, no values).
    private static func statisticsGroup(_ grouping: ActivityGrouping) -> (String, String, String, String) {
        let rows = "rm_activities.rows r"
        switch grouping {
        case .area: return ("r.area_number::text", "r.doc->>'area_name'", "r.area_number", rows)
        case .district:
            return (
                "r.doc->>'police_district'", "r.doc->>'police_district_name'", "(r.doc->>'police_district')::int",
                rows
            )
        case .org: return ("r.org", "NULL::text", "NULL::int", rows)
        case .month: return ("r.month", "NULL::text", "NULL::int", rows)
        case .theme:
            return (
                "t.theme", "NULL::text", "NULL::int",
                "\(rows) LEFT JOIN LATERAL jsonb_array_elements_text(r.doc->'themes') AS t(theme) ON true"
            )
        }
    }
}
