import CaselogServer
import DatabaseSupport

extension ServerConfiguration {
    /// Runs `body` with this configuration pointed at a scratch database on the same PostgreSQL
    /// server (created, migrated, and dropped afterwards): where every benchmark measures.
    func withScratchDatabase<Result: Sendable>(
        _ body: (ServerConfiguration) async throws -> Result
    ) async throws -> Result {
        try await ScratchDatabase.with(
            adminURL: databaseURL,
            prefix: "caselog_bench",
            migrator: migrations(),
            logger: makeLogger()
        ) { scratch in
            var configuration = self
            configuration.databaseURL = scratch.url
            return try await body(configuration)
        }
    }
}
