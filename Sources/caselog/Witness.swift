import ArgumentParser
import CaselogServer
import Foundation
import HTTPFace
import Logging
import ServiceLifecycle
import TransparencyLog

/// `caselog witness`: a C2SP tlog-witness of one caselog log, until SIGTERM or SIGINT.
struct WitnessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "witness",
        abstract: "Run a witness that cosigns the log's checkpoints (C2SP tlog-witness, POST /add-checkpoint).",
        discussion: """
            The witness cosigns a checkpoint only when the log's key signed it and a consistency \
            proof shows it extends the checkpoint the witness cosigned last, which it keeps in \
            the state file (replaced atomically before each answer). It never cosigns a smaller \
            tree or another root at a size it has seen: a fork shown to one party is refused by \
            every witness that cosigned the other branch.

            Example:
              caselog key generate witness.key --name example.org/witness-cpd --witness
              caselog witness --key witness.key --log-key "$(caselog key show log.key)" \\
                --state witness.state --port 7381
            """
    )

    @Option(help: "The witness's key file, from caselog key generate --witness.") var key: String
    @Option(help: "The log's verifier key (name+hash+base64), from caselog key show.") var logKey: String
    @Option(help: "The file keeping the latest cosigned checkpoint; created at the first cosignature.")
    var state: String
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on; 0 picks a free one.") var port: Int

    func run() async throws {
        let logger = Logger(label: "caselog.witness")
        let server: WitnessServer
        var configuration = HTTPServerConfiguration(port: port)
        configuration.host = host
        do {
            let logVerifier = try NoteVerifierKey(parsing: logKey)
            let witnessKey = try LogKeyFile(path: key).readWitnessKey()
            server = try WitnessServer(
                configuration: configuration,
                logKey: logVerifier,
                key: witnessKey,
                state: WitnessStateFile(path: state),
                logger: logger
            ) { [host] port in
                FileHandle.standardOutput.write(
                    Data("witness \(witnessKey.verifier.text) listening on \(host):\(port)\n".utf8)
                )
            }
        } catch let error as TransparencyLogError {
            throw ValidationError("--log-key: \(error.message)")
        } catch {
            throw ValidationError("\(error)")
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: server)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}
