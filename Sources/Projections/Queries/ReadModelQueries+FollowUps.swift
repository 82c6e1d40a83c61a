public import EventLog
public import ReadModels

extension ReadModelQueries {
    /// `FOLLOWUP LIST`: one page of the follow-ups matching `filter`, by due date; overdue is
    /// judged on the day of the moment asked for.
    public func followUps(_ filter: FollowUpFilter, at moment: QueryMoment = QueryMoment())
        async throws(EventLogError) -> QueryAnswer<FollowUpRow>
    {
        let name = ReadModelCatalog.followUps.name
        let snapshot = try await listSnapshot(of: name, at: moment, cursor: filter.cursor)
        let list = Self.followUpList(filter, at: snapshot)
        return try await listPage(list, of: name, limit: filter.limit, cursor: filter.cursor, snapshot: snapshot)
    }

    /// The statement of `FOLLOWUP LIST` for `filter`: only the filters given become conditions.
    static func followUpList(_ filter: FollowUpFilter, at snapshot: Snapshot) -> ListStatement {
        var list = ListStatement(table: "rm_followups.rows", sortColumn: "due_on", snapshot: snapshot)
        if let org = filter.org { list.filter(org) { "assignee_org = \($0)" } }
        if let status = filter.status { list.filter(status) { "status = \($0)" } }
        if filter.overdue {
            list.require("status IN ('scheduled', 'blocked')")
            list.filter(snapshot.today.description) { "due_on < \($0)" }
        }
        if let dueBefore = filter.dueBefore { list.filter(dueBefore.description) { "due_on < \($0)" } }
        if let about = filter.about { list.filter(about) { "about = \($0)" } }
        return list
    }
}
