public import EventLog
import PostgresNIO
import Projections

extension TestDatabase {
    /// Waits (up to `limit`) until every projection's checkpoint has reached `position`,
    /// whichever process applies them.
    public func waitUntilProjectionsApplied(
        through position: LogPosition,
        within limit: Duration = .seconds(30)
    ) async throws {
        let projections = ReadModelCatalog.standard.count
        try await waitUntil("the projections reach position \(position)", within: limit) {
            let rows = try await client.query(
                "SELECT count(*) FROM projection_checkpoints WHERE position >= \(position)",
                logger: Self.logger
            )
            var caughtUp = 0
            for try await count in rows.decode(Int64.self) { caughtUp = Int(count) }
            return caughtUp == projections
        }
    }
}
