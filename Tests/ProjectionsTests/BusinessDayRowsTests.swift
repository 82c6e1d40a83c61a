import Demo
import Domain
import PostgresNIO
import Testing

@testable import Projections

/// `ON date` as known now reads each version's `superseded_on` (the earliest day recorded after
/// it) instead of looking for later versions, in lists and in aggregates: on a demo history folded
/// in small batches, every form picks the same versions of every read model on every day.
@Suite struct BusinessDayRowsTests {
    static let schemas = ["rm_commitments", "rm_followups", "rm_activities", "rm_cases"]

    @Test func supersededOnPicksTheVersionsTheSearchForLaterOnesPicks() async throws {
        try await ProjectionHarness.with(batchSize: 7) { harness in
            let today = ISODate(year: 2025, month: 10, day: 31)!
            let report = try await DemoRunner(store: harness.store, today: today)
                .run(try DemoScenario(seed: 2025, events: 2000, lastDay: today))
            #expect(report.refusals == 0, "\(report)")
            for projection in ["commitments", "followups", "activities", "cases"] {
                _ = try await harness.caughtUp(projection)
            }
            let days = ["2024-10-01", "2025-01-15", "2025-03-31", "2025-06-30", "2025-08-15", "2025-10-31"]
            for schema in Self.schemas {
                let table = "\(schema).rows"
                let superseded = try await harness.strings(
                    "SELECT count(*)::text FROM \(table) WHERE superseded_on IS NOT NULL"
                )
                #expect(superseded != ["0"], "\(schema): some versions were superseded on a later day")
                for day in days {
                    var now = ReadModelQueries.Snapshot(position: .max, today: today, asOf: nil)
                    now.on = try ISODate(parsing: day)
                    var searched = ReadModelQueries.Snapshot(position: .max, today: today, asOf: .max)
                    searched.on = now.on
                    let byColumn = try await Self.versions(table, ReadModelQueries.rowValidity(now, in: table), harness)
                    let bySearch = try await Self.versions(
                        table,
                        ReadModelQueries.rowValidity(searched, in: table),
                        harness
                    )
                    #expect(byColumn.sql.contains("superseded_on"), "\(schema) \(day): \(byColumn.sql)")
                    let bySet = try await Self.versions(table, ReadModelQueries.validity(searched, in: table), harness)
                    let aggregated = try await Self.versions(table, ReadModelQueries.validity(now, in: table), harness)
                    #expect(Set(bySet.rows) == Set(bySearch.rows), "\(schema) on \(day): the set form")
                    #expect(Set(aggregated.rows) == Set(bySearch.rows), "\(schema) on \(day): aggregates as known now")
                    let differing = Set(byColumn.rows).symmetricDifference(bySearch.rows).sorted()
                    #expect(!bySearch.rows.isEmpty || day == days[0], "\(schema) on \(day): rows to compare")
                    #expect(
                        differing.isEmpty,
                        "\(schema) on \(day), versions picked by one form only: \(differing.prefix(6))"
                    )
                }
            }
        }
    }

    /// The versions of `table` meeting `condition`, as key and position.
    static func versions(_ table: String, _ condition: String, _ harness: ProjectionHarness) async throws -> (
        sql: String, rows: [String]
    ) {
        let sql = "SELECT key || ' ' || valid_from FROM \(table) WHERE \(condition)"
        return (sql, try await harness.strings(sql))
    }
}
