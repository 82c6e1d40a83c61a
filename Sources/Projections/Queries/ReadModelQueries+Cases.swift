import Domain
public import EventLog
public import ReadModels

extension ReadModelQueries {
    /// `CASE LIST`: the cases matching `filter`, oldest first.
    public func cases(_ filter: CaseFilter, at moment: QueryMoment = QueryMoment())
        async throws(EventLogError) -> QueryAnswer<CaseRow>
    {
        let snapshot = try await snapshot(of: ReadModelCatalog.cases.name, at: moment)
        let rows: [Lineaged<CaseRow>] = try await fetch(
            """
            SELECT key, valid_from, valid_to, last_event_id::text, doc::text FROM rm_cases.rows
            WHERE \(unescaped: Self.validity(snapshot, in: "rm_cases.rows"))
              AND (\(filter.org)::text IS NULL OR lead_org = \(filter.org))
              AND (\(filter.status)::text IS NULL OR status = \(filter.status))
            ORDER BY opened_on, key
            LIMIT \(Int64(filter.limit))
            """
        )
        return QueryAnswer(rows: rows, position: snapshot.position, today: snapshot.today)
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
