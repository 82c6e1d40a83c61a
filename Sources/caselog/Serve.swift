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

    @Flag(
        help:
            "Run no projection workers here: read models are answered from the tables another caselog serve keeps (default: $CASELOG_PROJECTIONS=off, else on)."
    )
    var noProjections = false

    @Option(
        name: .customLong("key"),
        help:
            "The transparency log's signing key file, from caselog key generate (default: $CASELOG_LOG_KEY, else none)."
    )
    var keyFile: String?

    @Option(
        help:
            "Port to serve the log's tiles on over HTTP; needs --key (default: $CASELOG_HTTP_PORT, else not served)."
    )
    var httpPort: Int?

    func run() async throws {
        let configuration = database.configuration(
            .init(
                host: host,
                port: port,
                runsProjections: noProjections ? false : nil,
                logKeyFile: keyFile,
                httpPort: httpPort
            ),
            embedded: ServerConfiguration.embeddedServiceURL
        )
        let host = configuration.adminServer.host
        try await CaselogService(configuration: configuration).run { port in
            FileHandle.standardOutput.write(Data("caselog listening on \(host):\(port)\n".utf8))
        }
    }
}
