import AdminProtocol
import ArgumentParser
import EventLog
import Foundation
import ProtocolClient
import TransparencyLog

/// `caselog proof`: Merkle proofs from a running server, as receipts or hash lists.
struct Proof: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fetch inclusion and consistency proofs of the log's Merkle tree.",
        subcommands: [Checkpoint.self, Inclusion.self, Consistency.self]
    )

    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The latest signed checkpoint, byte for byte: keep it to check later that the log extends it.",
            discussion: """
                Example:
                  caselog proof checkpoint -o 2026-12-03.checkpoint
                  caselog verify --checkpoint 2026-12-03.checkpoint --key "$VERIFIER_KEY"
                """
        )

        @OptionGroup var client: ClientOptions
        @Option(name: [.customShort("o"), .long], help: "Write to this file instead of standard output.")
        var output: String?

        func run() async throws {
            let note = try await client.connection.withClient { client in
                let reply = try ServerRefusal.check(try await client.command("LOG", "CHECKPOINT"))
                guard let note = reply.text else { throw ServerRefusal("ERR the server's checkpoint is not text") }
                return note
            }
            try Proof.write(note, to: output)
        }
    }

    struct Inclusion: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "An event's inclusion proof; against the latest checkpoint, a receipt checkable offline.",
            discussion: """
                Without --size it writes a receipt in the C2SP tlog-proof form (the event's chain \
                hash as extra, its leaf index, the proof, the signed checkpoint), which \
                caselog verify --receipt FILE --key VERIFIERKEY checks with no server. With --size \
                it prints the leaf index, the size and the proof's hashes, one per line.

                Example:
                  caselog proof inclusion 42 -o event-42.tlog-proof
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The event's position.") var position: Int64
        @Option(help: "The tree size (default: the latest checkpoint's).") var size: Int64?
        @Option(name: [.customShort("o"), .long], help: "Write to this file instead of standard output.")
        var output: String?

        func run() async throws {
            var words = ["LOG", "PROOF", "INCLUSION", String(position)]
            if let size { words += ["SIZE", String(size)] }
            let text = try await client.connection.withClient { client in
                let reply = try ServerRefusal.check(try await client.command(words))
                let hashes = try Proof.hashes(reply["proof"])
                guard let index = reply["index"]?.text.flatMap(Int64.init),
                    let size = reply["size"]?.text,
                    let hash = reply["hash"]?.text
                else {
                    throw ServerRefusal("ERR the server's proof lacks index, size or hash")
                }
                if self.size == nil, let checkpoint = reply["checkpoint"]?.text,
                    let leaf = Hex.decode(hash)
                {
                    return Receipt(leafData: leaf, index: index, proof: hashes, checkpointNote: checkpoint).text
                }
                return (["index \(index)", "size \(size)"] + hashes.map(\.base64)).joined(separator: "\n") + "\n"
            }
            try Proof.write(text, to: output)
        }
    }

    struct Consistency: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The proof that the tree of OLD events is a prefix of the tree of NEW events.",
            discussion: """
                Prints `old N`, `new M` and the proof's hashes in base64, one per line (RFC 9162).

                Example:
                  caselog proof consistency 1000 2000
                """
        )

        @OptionGroup var client: ClientOptions
        @Argument(help: "The older tree size.") var old: Int64
        @Argument(help: "The newer tree size.") var new: Int64

        func run() async throws {
            let words = ["LOG", "PROOF", "CONSISTENCY", String(old), String(new)]
            let text = try await client.connection.withClient { client in
                let reply = try ServerRefusal.check(try await client.command(words))
                let hashes = try Proof.hashes(reply["proof"])
                return (["old \(old)", "new \(new)"] + hashes.map(\.base64)).joined(separator: "\n") + "\n"
            }
            try Proof.write(text, to: nil)
        }
    }

    /// The base64 tree hashes of a proof reply.
    static func hashes(_ reply: RESPValue?) throws -> [TreeHash] {
        guard case .array(let items) = reply else { throw ServerRefusal("ERR the server's reply has no proof") }
        return try items.map { item in
            guard let hash = item.text.flatMap({ TreeHash(base64: $0) }) else {
                throw ServerRefusal("ERR the server's proof holds a malformed hash")
            }
            return hash
        }
    }

    static func write(_ text: String, to path: String?) throws {
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw ValidationError("cannot write \(path)")
        }
    }
}
