public import EventLog
public import ReadModels

extension ReadModelQueries {
    /// `FOLLOWUP LIST`: the follow-ups matching `filter`, by due date; overdue is judged on the
    /// day of the moment asked for.
    public func followUps(_ filter: FollowUpFilter, at moment: QueryMoment = QueryMoment())
        async throws(EventLogError) -> QueryAnswer<FollowUpRow>
    {
        let snapshot = try await snapshot(of: ReadModelCatalog.followUps.name, at: moment)
        let overdueBefore: String? = filter.overdue ? snapshot.today.description : nil
        let rows: [Lineaged<FollowUpRow>] = try await fetch(
            """
            SELECT key, valid_from, valid_to, last_event_id::text, doc::text FROM rm_followups.rows
            WHERE \(unescaped: Self.validity(snapshot, in: "rm_followups.rows"))
              AND (\(filter.org)::text IS NULL OR assignee_org = \(filter.org))
              AND (\(filter.status)::text IS NULL OR status = \(filter.status))
              AND (\(overdueBefore)::text IS NULL
                   OR (status IN ('scheduled', 'blocked') AND due_on < \(overdueBefore)))
              AND (\(filter.dueBefore?.description)::text IS NULL OR due_on < \(filter.dueBefore?.description))
              AND (\(filter.about)::text IS NULL OR about = \(filter.about))
            ORDER BY due_on, key
            LIMIT \(Int64(filter.limit))
            """
        )
        return QueryAnswer(rows: rows, position: snapshot.position, today: snapshot.today)
    }
}
