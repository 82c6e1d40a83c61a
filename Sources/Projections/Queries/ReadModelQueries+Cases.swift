import Domain
public import EventLog
public import ReadModels

extension ReadModelQueries {
    /// `CASE LIST`: one page of the cases matching `filter`, oldest first.
    public func cases(_ filter: CaseFilter, at moment: QueryMoment = QueryMoment())
        async throws(EventLogError) -> QueryAnswer<CaseRow>
    {
        let name = ReadModelCatalog.cases.name
        let snapshot = try await listSnapshot(of: name, at: moment, cursor: filter.cursor)
        let list = Self.caseList(filter, at: snapshot)
        return try await listPage(list, of: name, limit: filter.limit, cursor: filter.cursor, snapshot: snapshot)
    }

    /// The statement of `CASE LIST` for `filter`: only the filters given become conditions.
    static func caseList(_ filter: CaseFilter, at snapshot: Snapshot) -> ListStatement {
        var list = ListStatement(table: "rm_cases.rows", sortColumn: "opened_on", snapshot: snapshot)
        if let org = filter.org { list.filter(org) { "lead_org = \($0)" } }
        if let status = filter.status { list.filter(status) { "status = \($0)" } }
        return list
    }

    /// A case's timeline in log order, up to the moment asked for; each entry's lineage is its own event.
    public func caseTimeline(_ id: String, at moment: QueryMoment = QueryMoment())
        async throws(EventLogError) -> QueryAnswer<CaseTimelineEntry>
    {
        let snapshot = try await snapshot(of: ReadModelCatalog.cases.name, at: moment)
        var entries: [Lineaged<CaseTimelineEntry>] = []
        do {
            let rows = try await client.query(
                """
                SELECT position, event_id::text, stream, type, summary, recorded_on::text FROM rm_cases.timeline
                WHERE case_id = \(id) AND position <= \(snapshot.position)
                ORDER BY position
                """,
                logger: logger
            )
            for try await (position, eventID, stream, type, summary, recordedOn) in rows.decode(
                (Int64, String, String, String, String, String).self
            ) {
                let entry = CaseTimelineEntry(
                    caseID: id,
                    stream: stream,
                    type: type,
                    summary: summary,
                    recordedOn: try ISODate(parsing: recordedOn)
                )
                entries.append(Lineaged(row: entry, position: position, eventID: eventID, supersededAt: nil))
            }
        } catch {
            throw queryFailed(error)
        }
        return QueryAnswer(rows: entries, position: snapshot.position, today: snapshot.today)
    }

    /// Logs why a read-model query failed and answers `UNAVAILABLE`, saying nothing of the SQL.
    func queryFailed(_ error: any Error) -> EventLogError {
        logger.warning("read-model query failed", metadata: ["error": "\(String(reflecting: error))"])
        return EventLogError(.unavailable, "the read model could not be queried")
    }
}
