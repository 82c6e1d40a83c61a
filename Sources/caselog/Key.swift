import ArgumentParser
import CaselogServer
import Foundation

/// `caselog key`: the transparency log's signing key, kept in a file outside the database.
struct Key: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create the log's or a witness's signing key, or print its verifier key.",
        subcommands: [Generate.self, Show.self]
    )

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new Ed25519 signing key (mode 0600; an existing file is never replaced).",
            discussion: """
                The name is the log's origin, the first line of every checkpoint: a schema-less, \
                URL-like name such as example.org/caselog. Prints the verifier key, which \
                auditors use to check checkpoints and receipts.

                With --witness, a witness's cosignature key (C2SP tlog-cosignature/v1) for \
                caselog witness, named after the witness (example.org/witness-cpd); it prints \
                the witness's verifier key, which auditors use to check its cosignatures.

                Examples:
                  caselog key generate /etc/caselog/log.key --name example.org/caselog
                  caselog key generate /etc/caselog/witness.key --name example.org/witness-cpd --witness
                """
        )

        @Argument(help: "The key file to create.") var file: String
        @Option(help: "The log's origin, or the witness's name, which names the key.") var name: String
        @Flag(help: "Make a witness's cosignature key instead of a log key.") var witness = false

        func run() throws {
            do {
                let keyFile = LogKeyFile(path: file)
                print(
                    witness
                        ? try keyFile.generateWitnessKey(name: name).verifier.text
                        : try keyFile.generate(name: name).verifier.text
                )
            } catch {
                throw ValidationError(error.description)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Print the verifier key (name+hash+base64) of a log's key file, as Go's sumdb/note reads it, or of a witness's."
        )

        @Argument(help: "The key file.") var file: String

        func run() throws {
            let keyFile = LogKeyFile(path: file)
            do {
                if let witnessKey = try? keyFile.readWitnessKey() {
                    print(witnessKey.verifier.text)
                } else {
                    print(try keyFile.read().verifier.text)
                }
            } catch {
                throw ValidationError(error.description)
            }
        }
    }
}
