import AdminProtocol
import CaselogServer
import CaselogTesting
import EventLog
import Foundation
import ProtocolClient
import Testing
import TransparencyLog

/// The Merkle tree over the log, its signed checkpoints and proofs, over TCP against a real
/// server and database.
@Suite struct TransparencyLogTests {
    static let origin = "caselog.test/log"

    /// A fresh folder with a new log key file in it; removed after `body`.
    static func withKeyFile<Result>(
        name: String = origin,
        _ body: (_ path: String, _ key: NoteSignerKey) async throws -> Result
    ) async throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appending(path: "tlog-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appending(path: "log.key").path
        let key = try LogKeyFile(path: path).generate(name: name)
        return try await body(path, key)
    }

    /// Appends `count` raw events on note- streams.
    static func append(_ count: Int, on client: RESPTestClient) async throws {
        for index in 0..<count {
            let reply = try await client.command(
                "STREAM",
                "APPEND",
                "note-\(index % 3)",
                "any",
                #"{"type":"NoteTaken","data":{"n":\#(index)}}"#
            )
            #expect(reply.errorCode == nil, "\(reply)")
        }
    }

    /// The root of the first `size` events, computed here from the events themselves.
    static func root(of server: TestServer, size: Int64) async throws -> TreeHash {
        var frontier = TreeFrontier()
        for event in try await server.store.readAll(from: 1, limit: Int(size)) {
            _ = frontier.append(leafHash: TreeHash.leaf(event.hash))
        }
        #expect(frontier.size == size)
        return frontier.root
    }

    /// The latest checkpoint, once one covers the log's head.
    static func checkpoint(of server: TestServer, client: RESPTestClient, key: NoteSignerKey) async throws -> (
        Checkpoint, String
    ) {
        let head = try await server.store.head().position
        let covered = await server.treeBuilder?.waitForCheckpoint(covering: head, timeout: .seconds(30))
        #expect(covered == true, "a checkpoint covers the head \(head)")
        let note = try #require(try await client.command("LOG", "CHECKPOINT").text)
        return (try Checkpoint.open(note, verifiedBy: key.verifier), note)
    }

    static func hashes(_ reply: RESPValue?) throws -> [TreeHash] {
        guard case .array(let items) = reply else {
            throw TestEnvironmentError("not an array: \(String(describing: reply))")
        }
        return try items.map { try #require(TreeHash(base64: $0.text ?? "")) }
    }

    @Test func checkpointsAreSignedAndEveryProofVerifies() async throws {
        try await Self.withKeyFile { path, key in
            try await TestServer.with(logKeyFile: path) { server in
                try await server.withClient(token: server.adminToken) { client in
                    try await Self.append(11, on: client)
                    let (first, firstNote) = try await Self.checkpoint(of: server, client: client, key: key)
                    #expect(first.origin == Self.origin)
                    #expect(first.root == (try await Self.root(of: server, size: first.size)))
                    #expect(
                        firstNote.hasPrefix("\(Self.origin)\n\(first.size)\n\(first.root.base64)\n\n— \(Self.origin) ")
                    )

                    let events = try await server.store.readAll(from: 1, limit: Int(first.size))
                    for event in events {
                        let reply = try await client.command("LOG", "PROOF", "INCLUSION", String(event.position))
                        #expect(reply["index"] == .integer(event.position - 1))
                        #expect(reply["size"] == .integer(first.size))
                        #expect(reply["hash"]?.text == Hex.encode(event.hash))
                        #expect(reply["checkpoint"]?.text == firstNote)
                        #expect(
                            MerkleProof.verifyInclusion(
                                leafHash: TreeHash.leaf(event.hash),
                                index: event.position - 1,
                                size: first.size,
                                proof: try Self.hashes(reply["proof"]),
                                root: first.root
                            ),
                            "position \(event.position)"
                        )
                    }

                    try await Self.append(6, on: client)
                    let (second, _) = try await Self.checkpoint(of: server, client: client, key: key)
                    #expect(second.size > first.size)
                    let consistency = try await client.command(
                        "LOG",
                        "PROOF",
                        "CONSISTENCY",
                        String(first.size),
                        String(second.size)
                    )
                    #expect(
                        MerkleProof.verifyConsistency(
                            oldSize: first.size,
                            newSize: second.size,
                            oldRoot: first.root,
                            newRoot: second.root,
                            proof: try Self.hashes(consistency["proof"])
                        )
                    )
                    let older = try await client.command("LOG", "PROOF", "INCLUSION", "3", "SIZE", String(first.size))
                    #expect(older["checkpoint"] == .null)
                    #expect(
                        MerkleProof.verifyInclusion(
                            leafHash: TreeHash.leaf(events[2].hash),
                            index: 2,
                            size: first.size,
                            proof: try Self.hashes(older["proof"]),
                            root: first.root
                        )
                    )

                    let beyond = try await client.command("LOG", "PROOF", "INCLUSION", String(second.size + 1))
                    #expect(beyond.errorCode == "INVALID")
                    let tooLarge = try await client.command(
                        "LOG",
                        "PROOF",
                        "CONSISTENCY",
                        "1",
                        String(second.size + 100)
                    )
                    #expect(tooLarge.errorCode == "INVALID")
                    let unknown = try await client.command("LOG", "PROOF", "EXCLUSION", "1")
                    #expect(unknown.errorCode == "INVALID")
                }
            }
        }
    }

    @Test func withoutAKeyThereIsNoTransparencyLog() async throws {
        try await TestServer.with { server in
            try await server.withClient(token: server.adminToken) { client in
                let checkpoint = try await client.command("LOG", "CHECKPOINT")
                #expect(checkpoint.errorCode == "UNAVAILABLE")
                let proof = try await client.command("LOG", "PROOF", "INCLUSION", "1")
                #expect(proof.errorCode == "UNAVAILABLE")
            }
        }
    }

    @Test func theKeyFileIsTheOwnersAloneAndNeverReplaced() async throws {
        try await Self.withKeyFile { path, key in
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            #expect(try LogKeyFile(path: path).read().verifier == key.verifier)
            #expect(throws: LogKeyFileError.self) { try LogKeyFile(path: path).generate(name: Self.origin) }
            #expect(try LogKeyFile(path: path).read().verifier == key.verifier, "the first key stays")

            var configuration = ServerConfiguration(databaseURL: try TestDatabase.adminURL)
            configuration.logKeyFile = path
            configuration.logOrigin = "another.example/log"
            #expect(throws: CaselogServiceError.self) { try CaselogService(configuration: configuration) }

            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
            #expect(throws: LogKeyFileError.self) { try LogKeyFile(path: path).read() }
        }
    }
}
