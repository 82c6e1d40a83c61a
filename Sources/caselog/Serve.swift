import ArgumentParser
import CaselogServer
import Foundation

/// `caselog serve`: runs the service until SIGTERM or SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the caselog service and its admin protocol.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Address the admin protocol listens on (default: $CASELOG_HOST, else 127.0.0.1).")
    var host: String?

    @Option(help: "Port of the admin protocol; 0 picks a free one (default: $CASELOG_PORT, else 7379).")
    var port: Int?

    func run() async throws {
        let configuration = database.configuration(
            .init(host: host, port: port),
            embedded: ServerConfiguration.embeddedServiceURL
        )
        let host = configuration.adminServer.host
        try await CaselogService(configuration: configuration).run { port in
            FileHandle.standardOutput.write(Data("caselog listening on \(host):\(port)\n".utf8))
        }
    }
}
