import ArgumentParser
import Foundation
import ProtocolClient

/// Options of the commands that talk to a running server over the admin protocol.
struct ClientOptions: ParsableArguments {
    @Option(help: "The server as host:port (default: $CASELOG_SERVER, else 127.0.0.1:7379).")
    var server: String?

    @Option(help: "The token to authenticate with (default: $CASELOG_TOKEN).")
    var token: String?

    /// The connection these options name.
    var connection: ClientConnection { ClientConnection(server: server, token: token) }
}

/// A server and token given on the command line (nil: from the environment or the default).
struct ClientConnection {
    var server: String?
    var token: String?

    /// Connects (speaking RESP3), authenticates when a token is known, and runs `body`. An unreachable server or a
    /// refused token is reported on standard error with what to do next, and exits 3.
    func withClient<Result>(_ body: (RESPClient) async throws -> Result) async throws -> Result {
        let configuration: ClientConfiguration
        do {
            configuration = try ClientConfiguration(server: server, token: token)
        } catch {
            throw ValidationError(error.description)
        }
        do {
            return try await RESPClient.with(host: configuration.host, port: configuration.port) { client in
                do {
                    // RESP3, so that records arrive as maps.
                    _ = try await client.command("HELLO", "3")
                    if let token = configuration.token,
                        case .error(let message) = try await client.command("AUTH", token)
                    {
                        throw ClientFailure(
                            exitCode: 3,
                            "the token was refused (\(message)); set CASELOG_TOKEN or --token"
                        )
                    }
                    return try await body(client)
                } catch let failure as ClientFailure {
                    throw failure
                } catch let code as ExitCode {
                    throw code
                } catch let refusal as ServerRefusal {
                    throw ClientFailure(exitCode: refusal.exitCode, "the server refused: \(refusal)")
                } catch {
                    throw ClientFailure(exitCode: 1, "\(error)")
                }
            }
        } catch let failure as ClientFailure {
            failure.report()
            throw ExitCode(failure.exitCode)
        } catch let code as ExitCode {
            // The command has said what went wrong already.
            throw code
        } catch {
            ClientFailure(
                exitCode: 3,
                "cannot reach \(configuration.host):\(configuration.port) (\(error)); start the server "
                    + "(scripts/run.sh) or point --server / CASELOG_SERVER at it"
            ).report()
            throw ExitCode(3)
        }
    }
}

/// A client command that cannot go on: the message for standard error and the exit code
/// (1 refused by a rule, 3 unreachable or unauthorized; usage errors exit 2, see `Caselog.main`).
struct ClientFailure: Error, CustomStringConvertible {
    let exitCode: Int32
    let message: String

    init(exitCode: Int32, _ message: String) {
        self.exitCode = exitCode
        self.message = message
    }

    var description: String { message }

    func report() {
        FileHandle.standardError.write(Data("caselog: \(message)\n".utf8))
    }
}
