import Domain
import Foundation
import PostgresNIO
import ReadModels

extension ReadModelQueries {
    /// The statement of `ACTIVITY STATS` for the current rows: the whole months between `since`
    /// and `until` from the activities' tally, the days before and after them from the rows
    /// (through the occurred-on index), added up per group. Answers what `scannedStatistics` at
    /// `Int64.max` answers, reading a table that grows with groups, organizations and months.
    static func talliedStatistics(by grouping: ActivityGrouping, since: ISODate?, until: ISODate?, org: String?)
        -> PostgresQuery
    {
        let span = StatisticsSpan(since: since, until: until)
        let rows = ActivityProjection.contributions(
            grouping,
            from: "rm_activities.rows",
            sign: ActivityProjection.currentSign
        )
        return """
            WITH parts AS (
                SELECT grp, label, sort, sessions, attendance, changed FROM rm_activities.tallies
                WHERE grouping = \(grouping.rawValue)
                  AND month BETWEEN \(span.months.first) AND \(span.months.last)
                  AND (\(org)::text IS NULL OR org = \(org))
                UNION ALL
                \(unescaped: rows)
                WHERE r.status = 'recorded'
                  AND (\(org)::text IS NULL OR r.org = \(org))
                  AND (r.occurred_on BETWEEN \(span.before.first) AND \(span.before.last)
                    OR r.occurred_on BETWEEN \(span.after.first) AND \(span.after.last))
            ), groups AS (
                SELECT grp, max(label) AS label, min(sort) AS sort, sum(sessions)::int8 AS sessions,
                    sum(attendance)::int8 AS attendance, max(changed) AS changed
                FROM parts GROUP BY grp
            )
            SELECT g.grp, g.label, g.sessions, g.attendance, g.changed, e.id::text, NULL::int8
            FROM groups g JOIN events e ON e.position = g.changed
            WHERE g.sessions > 0
            ORDER BY g.sort NULLS LAST, g.grp NULLS LAST
            """
    }
}

/// How the current moment's statistics split the days from `since` to `until` (either open):
/// the whole months among them come from the tally, the days of the partial months at either
/// end from the rows.
struct StatisticsSpan: Hashable {
    /// First and last of something sorted as text, both included; none when first is after last.
    struct Bounds: Hashable {
        let first: String
        let last: String
    }

    /// Days that no activity occurred on.
    static let noDays = Bounds(first: "9999-12-31", last: "0000-01-01")

    /// The whole months, `yyyy-mm`.
    let months: Bounds
    /// The days before the first whole month, `yyyy-mm-dd`.
    let before: Bounds
    /// The days after the last whole month; with no whole month between, the same days as
    /// `before` may be named twice (the rows are read once).
    let after: Bounds

    init(since: ISODate?, until: ISODate?) {
        let sinceStartsMonth = since.map { $0.day == 1 } ?? true
        let untilEndsMonth = until.map { $0.adding(days: 1).day == 1 } ?? true
        if let since, !sinceStartsMonth {
            // The rest of its month: every day of it sorts before its month's "-31".
            let monthEnd = ActivityRow.month(of: since) + "-31"
            before = Bounds(first: since.description, last: min(until?.description ?? monthEnd, monthEnd))
        } else {
            before = Self.noDays
        }
        if let until, !untilEndsMonth {
            let monthStart = ActivityRow.month(of: until) + "-01"
            after = Bounds(first: max(since?.description ?? monthStart, monthStart), last: until.description)
        } else {
            after = Self.noDays
        }
        months = Bounds(
            first: since.map { Self.month($0.year, $0.month + (sinceStartsMonth ? 0 : 1)) } ?? "0000-00",
            last: until.map { Self.month($0.year, $0.month - (untilEndsMonth ? 0 : 1)) } ?? "9999-99"
        )
    }

    /// `yyyy-mm` of a month counted from January of `year`: 0 is the December before, 13 the January after.
    static func month(_ year: Int, _ month: Int) -> String {
        let (year, month) = month < 1 ? (year - 1, 12) : month > 12 ? (year + 1, 1) : (year, month)
        return String(format: "%04d-%02d", year, month)
    }
}
