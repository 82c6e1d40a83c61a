import ArgumentParser
import CaselogServer
import Foundation

/// `caselog key`: the transparency log's signing key, kept in a file outside the database.
struct Key: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create the log's signing key, or print its verifier key.",
        subcommands: [Generate.self, Show.self]
    )

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new Ed25519 signing key (mode 0600; an existing file is never replaced).",
            discussion: """
                The name is the log's origin, the first line of every checkpoint: a schema-less, \
                URL-like name such as example.org/caselog. Prints the verifier key, which \
                auditors use to check checkpoints and receipts.

                Example:
                  caselog key generate /etc/caselog/log.key --name example.org/caselog
                """
        )

        @Argument(help: "The key file to create.") var file: String
        @Option(help: "The log's origin, which names the key.") var name: String

        func run() throws {
            do {
                print(try LogKeyFile(path: file).generate(name: name).verifier.text)
            } catch {
                throw ValidationError(error.description)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the verifier key (name+hash+base64) of a key file, as Go's sumdb/note reads it."
        )

        @Argument(help: "The key file.") var file: String

        func run() throws {
            do {
                print(try LogKeyFile(path: file).read().verifier.text)
            } catch {
                throw ValidationError(error.description)
            }
        }
    }
}
