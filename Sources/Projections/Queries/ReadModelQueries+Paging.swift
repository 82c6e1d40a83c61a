import EventLog
import Foundation
import ReadModels

extension ReadModelQueries {
    /// Where a page of a list reads: the moment asked for on a first page; on a later page the
    /// position, day and business day of the listing's first page, carried by its cursor.
    func listSnapshot(of projection: String, at moment: QueryMoment, cursor: ListCursor?)
        async throws(EventLogError) -> Snapshot
    {
        guard let cursor else { return try await snapshot(of: projection, at: moment) }
        do {
            let pinned = try await snapshot(of: projection, at: QueryMoment(asOf: .position(cursor.position)))
            return Snapshot(position: pinned.position, today: cursor.today, asOf: pinned.asOf, on: cursor.on)
        } catch  where error.code == .notFound {
            throw EventLogError(.invalid, "cursor: is past the head of the log; this server did not issue it")
        }
    }

    /// One page of `statement`'s rows and the cursor of the next page (nil when none follows).
    func listPage<Row: ReadModelRow>(
        _ statement: ListStatement,
        of projection: String,
        limit: Int,
        cursor: ListCursor?,
        snapshot: Snapshot
    ) async throws(EventLogError) -> QueryAnswer<Row> {
        var found: [Lineaged<Row>] = []
        var last: (sortKey: String, key: String)?
        do {
            let rows = try await client.query(
                statement.page(of: projection, after: cursor, limit: limit),
                logger: logger
            )
            let decoder = JSONDecoder()
            let kept = limit <= DecodedRows.keptPageRows
            for try await (key, from, to, eventID, document, sortKey, checkpoint) in rows.decode(
                (String, Int64, Int64?, String, String, String, Int64?).self
            ) {
                guard found.count < limit else {
                    let position = snapshot.asOf ?? checkpoint ?? snapshot.position
                    let next = ListCursor(
                        position: position,
                        today: snapshot.today,
                        on: snapshot.on,
                        sortKey: last?.sortKey ?? sortKey,
                        key: last?.key ?? key
                    )
                    return QueryAnswer(rows: found, position: snapshot.position, today: snapshot.today, next: next)
                }
                found.append(
                    try Self.version(document, from: from, to: to, eventID: eventID, decoder: decoder, kept: kept)
                )
                last = (sortKey, key)
            }
        } catch {
            throw queryFailed(error)
        }
        return QueryAnswer(rows: found, position: snapshot.position, today: snapshot.today)
    }
}
