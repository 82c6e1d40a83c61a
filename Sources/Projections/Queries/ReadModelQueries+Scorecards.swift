public import EventLog
import PostgresNIO
public import ReadModels

extension ReadModelQueries {
    /// The organization scorecard from the commitment board: per owner org (or only `org`), what
    /// it made, fulfilled (on time or not), has overdue on the day of the moment, and cancelled.
    ///
    /// Each scorecard's lineage is the last event that changed one of the org's commitments;
    /// `supersededAt` is the next such event after an as-of moment.
    public func scorecards(org: String? = nil, at moment: QueryMoment = QueryMoment())
        async throws(EventLogError) -> QueryAnswer<Scorecard>
    {
        let snapshot = try await snapshot(of: ReadModelCatalog.commitments.name, at: moment)
        let at = snapshot.asOf ?? Int64.max
        let today = snapshot.today.description
        var found: [Lineaged<Scorecard>] = []
        do {
            let rows = try await client.query(
                """
                WITH versions AS (
                    SELECT owner_org, status, due_on, valid_from, doc->>'fulfilled_on' AS fulfilled_on,
                        (doc->>'fulfilled_on')::date - (doc->>'made_on')::date AS days_to_fulfil,
                        \(unescaped: Self.validity(snapshot, in: "rm_commitments.rows")) AS held
                    FROM rm_commitments.rows
                    WHERE \(org)::text IS NULL OR owner_org = \(org)
                ), cards AS (
                    SELECT owner_org,
                        count(*) FILTER (WHERE held) AS made,
                        count(*) FILTER (WHERE held AND status = 'open') AS open,
                        count(*) FILTER (WHERE held AND status = 'fulfilled') AS fulfilled,
                        count(*) FILTER (WHERE held AND status = 'fulfilled' AND fulfilled_on <= due_on) AS on_time,
                        count(*) FILTER (WHERE held AND status = 'open' AND due_on < \(today)) AS overdue,
                        count(*) FILTER (WHERE held AND status = 'cancelled') AS cancelled,
                        percentile_cont(0.5) WITHIN GROUP (ORDER BY days_to_fulfil)
                            FILTER (WHERE held AND status = 'fulfilled') AS median,
                        max(valid_from) FILTER (WHERE valid_from <= \(at)) AS changed,
                        min(valid_from) FILTER (WHERE valid_from > \(at)) AS next
                    FROM versions GROUP BY owner_org
                )
                SELECT c.owner_org, c.made, c.open, c.fulfilled, c.on_time, c.overdue, c.cancelled, c.median,
                    c.changed, e.id::text, c.next
                FROM cards c JOIN events e ON e.position = c.changed
                WHERE c.made > 0
                ORDER BY c.owner_org
                """,
                logger: logger
            )
            for try await row in rows {
                let (owner, made, open, fulfilled, onTime, overdue, cancelled, median, changed, eventID, next) =
                    try row.decode(
                        (String, Int64, Int64, Int64, Int64, Int64, Int64, Double?, Int64, String, Int64?).self
                    )
                found.append(
                    Lineaged(
                        row: Scorecard(
                            org: owner,
                            made: Int(made),
                            open: Int(open),
                            fulfilled: Int(fulfilled),
                            fulfilledOnTime: Int(onTime),
                            overdue: Int(overdue),
                            cancelled: Int(cancelled),
                            medianDaysToFulfil: median
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
}
