import ArgumentParser
import Foundation

/// `caselog migrate`: applies the pending migrations of `db/migrations`.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Folder of NNNN_name.sql files (default: $CASELOG_MIGRATIONS, else db/migrations).")
    var migrations: String?

    func run() async throws {
        let migrator = try database.configuration(.init(migrationsDirectory: migrations)).migrations()
        let applied = try await database.withClient { client, logger in
            try await migrator.migrate(client: client, logger: logger)
        }
        print(
            applied.isEmpty
                ? "database is up to date" : "applied migrations: \(applied.map(String.init).joined(separator: ", "))"
        )
    }
}
