import CaselogTesting
import DatabaseSupport
import EventStore
import Testing

/// `caselog migrate` semantics: ordered, recorded, idempotent, safe under concurrency.
@Suite struct MigrationTests {
    @Test func migratingTwiceAndFromFourConnectionsAtOnceAppliesEachMigrationOnce() async throws {
        let migrator = try TestDatabase.migrator
        try await ScratchDatabase.with(
            adminURL: TestDatabase.adminURL,
            prefix: "caselog_test",
            migrator: Migrator(migrations: []),
            logger: TestDatabase.logger
        ) { scratch in
            let client = scratch.client
            let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<4 {
                    group.addTask { try await migrator.migrate(client: client, logger: TestDatabase.logger) }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(applied == migrator.migrations.map(\.version))
            #expect(try await migrator.migrate(client: client, logger: TestDatabase.logger).isEmpty)
            let rows = try await client.query("SELECT version FROM schema_migrations ORDER BY version")
            var recorded: [Int] = []
            for try await version in rows.decode(Int.self) { recorded.append(version) }
            #expect(recorded == migrator.migrations.map(\.version))
        }
    }

    @Test func anEditedMigrationIsRefused() async throws {
        try await TestDatabase.with { database in
            let original = try TestDatabase.migrator.migrations[0]
            let edited = Migrator(migrations: [
                Migration(version: original.version, name: original.name, sql: original.sql + "\n-- edited")
            ])
            await #expect {
                try await edited.migrate(client: database.client, logger: TestDatabase.logger)
            } throws: { error in
                "\(error)".contains("was edited after it was applied")
            }
        }
    }

    @Test func aFailingMigrationLeavesNothingHalfApplied() async throws {
        try await TestDatabase.with { database in
            let broken = Migrator(
                migrations: try TestDatabase.migrator.migrations + [
                    Migration(version: 9999, name: "broken", sql: "CREATE TABLE half (x int);\nSELECT 1/0;")
                ]
            )
            await #expect(throws: (any Error).self) {
                try await broken.migrate(client: database.client, logger: TestDatabase.logger)
            }
            let rows = try await database.client.query(
                "SELECT count(*) FROM pg_tables WHERE tablename = 'half'"
            )
            for try await count in rows.decode(Int.self) { #expect(count == 0) }
        }
    }
}
