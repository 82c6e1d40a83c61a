import ArgumentParser
import Foundation
import ProtocolClient

/// `caselog login`: checks a token against the server and saves both for the client commands.
struct Login: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Save the server and a token for the client commands (~/.config/caselog/config, mode 0600).",
        discussion: """
            The token is checked with the server first (AUTH, then WHOAMI). Without --token it is \
            read from standard input, so it need not appear in the shell's history.

            Example:
              caselog login --server 127.0.0.1:7379 < token.txt
            """
    )

    @OptionGroup var client: ClientOptions

    func run() async throws {
        var connection = client.connection
        if connection.token == nil, (ProcessInfo.processInfo.environment["CASELOG_TOKEN"] ?? "").isEmpty {
            if isatty(STDIN_FILENO) != 0 { FileHandle.standardError.write(Data("token: ".utf8)) }
            connection.token = readLine(strippingNewline: true)
        }
        let file = LoginFile()
        let configuration: ClientConfiguration
        do {
            configuration = try ClientConfiguration(server: connection.server, token: connection.token)
        } catch {
            throw ValidationError(error.description)
        }
        guard let token = configuration.token else { throw ValidationError("a token is missing: --token or stdin") }
        let whoami = try await connection.withClient { client in
            ReplyTable(try await client.command("WHOAMI")).jsonLines()
        }
        do {
            try file.write(server: "\(configuration.host):\(configuration.port)", token: token)
        } catch {
            throw ClientFailure(exitCode: 1, error.description)
        }
        print("logged in as \(whoami); saved to \(file.path)")
    }
}
