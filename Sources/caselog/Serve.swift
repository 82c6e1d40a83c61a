import ArgumentParser
import CaselogServer
import Foundation

/// `caselog serve`: runs the service until SIGTERM or SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the caselog service.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        var configuration = ServerConfiguration.fromEnvironment()
        configuration.databaseURL = database.databaseURL
        try await CaselogService(configuration: configuration, logger: database.logger).run()
    }
}
