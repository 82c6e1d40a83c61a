import CaselogTesting
import Foundation
import Testing
import TransparencyLog

/// Go's own golang.org/x/mod/sumdb/note and sumdb/tlog (Tests/Interop/tlogcheck) verify
/// caselog's checkpoint signature, an inclusion receipt, a consistency proof and the tiles, fetched with the
/// `caselog` binary from a real server.
@Suite struct TransparencyInteropTests {
    /// The Go checker scripts/test.sh builds from Tests/Interop/tlogcheck (GOPATH mode on Debian's
    /// golang-golang-x-mod-dev).
    static func checker() throws -> String {
        guard let path = ProcessInfo.processInfo.environment["TLOGCHECK_BIN"] else {
            throw TestEnvironmentError("TLOGCHECK_BIN is not set: run the tests with scripts/test.sh")
        }
        return path
    }

    @Test func gosSumdbPackagesVerifyCheckpointsReceiptsAndConsistency() async throws {
        let binary = try TransparencyAuditTests.binary()
        try await TransparencyLogTests.withKeyFile { path, key in
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            let checker = try Self.checker()
            let verifierKey = try await Subprocess.run(binary, ["key", "show", path])
                .trimmingCharacters(in: .newlines)
            #expect(verifierKey == key.verifier.text)

            try await TestServer.with(logKeyFile: path) { server in
                try await server.withClient(token: server.adminToken) { client in
                    try await TransparencyLogTests.append(5, on: client)
                }
                let (old, oldFile) = try await TransparencyAuditTests.saveCheckpoint(server, in: directory, key: key)
                try await server.withClient(token: server.adminToken) { client in
                    try await TransparencyLogTests.append(4, on: client)
                }
                let (new, newFile) = try await TransparencyAuditTests.saveCheckpoint(server, in: directory, key: key)
                let client = ["--server", "127.0.0.1:\(server.port)"]
                let token = ["CASELOG_TOKEN": server.adminToken]

                let fetchedCheckpoint = directory.appending(path: "fetched.checkpoint").path
                let saved = try await Subprocess.outcome(
                    binary,
                    ["proof", "checkpoint", "-o", fetchedCheckpoint] + client,
                    environment: token
                )
                #expect(saved.status == 0)
                #expect(
                    FileManager.default.contents(atPath: fetchedCheckpoint)
                        == FileManager.default.contents(atPath: newFile)
                )
                let checkpoint = try await Subprocess.outcome(
                    checker,
                    ["-key", verifierKey, "-checkpoint", fetchedCheckpoint]
                )
                #expect(checkpoint.status == 0, "\(checkpoint.output)")
                #expect(checkpoint.output.hasPrefix("ok checkpoint \(TransparencyLogTests.origin) \(new.size) "))

                let receipt = directory.appending(path: "event-3.tlog-proof").path
                let fetched = try await Subprocess.outcome(
                    binary,
                    ["proof", "inclusion", "3", "-o", receipt] + client,
                    environment: token
                )
                #expect(fetched.status == 0)
                let record = try await Subprocess.outcome(checker, ["-key", verifierKey, "-receipt", receipt])
                #expect(record.output.hasPrefix("ok record 2 in tree "), "\(record.output)")

                let consistencyFile = directory.appending(path: "consistency").path
                let proof = try await Subprocess.outcome(
                    binary,
                    ["proof", "consistency", String(old.size), String(new.size)] + client,
                    environment: token
                )
                #expect(proof.status == 0)
                try Data(proof.output.utf8).write(to: URL(fileURLWithPath: consistencyFile))
                let tree = try await Subprocess.outcome(
                    checker,
                    ["-key", verifierKey, "-old", oldFile, "-checkpoint", newFile, "-consistency", consistencyFile]
                )
                #expect(tree.output.contains("ok tree \(new.size) extends \(old.size)"), "\(tree.output)")

                let text = try String(contentsOfFile: receipt, encoding: .utf8)
                try Data(text.replacingOccurrences(of: "index 2\n", with: "index 1\n").utf8)
                    .write(to: URL(fileURLWithPath: receipt))
                let altered = try await Subprocess.outcome(checker, ["-key", verifierKey, "-receipt", receipt])
                #expect(altered.status == 1)
                #expect(altered.output.hasPrefix("FAIL tlog.CheckRecord"))
            }
        }
    }

    @Test func gosTlogReadsTheTilesOverHTTP() async throws {
        try await TransparencyLogTests.withKeyFile { path, key in
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            let checker = try Self.checker()
            try await TestServer.with(logKeyFile: path, tiles: true) { server in
                try await server.withClient(token: server.adminToken) { client in
                    try await Self.appendBatches(2, on: client)
                }
                let (old, oldFile) = try await TransparencyAuditTests.saveCheckpoint(server, in: directory, key: key)
                try await server.withClient(token: server.adminToken) { client in
                    try await Self.appendBatches(3, on: client)
                }
                let (new, _) = try await TransparencyAuditTests.saveCheckpoint(server, in: directory, key: key)
                #expect(new.size > 256, "a full tile and a partial one")
                let base = "http://127.0.0.1:\(try #require(server.tilePort))"
                let checked = try await Subprocess.outcome(
                    checker,
                    ["-key", key.verifier.text, "-tiles", base, "-old", oldFile]
                )
                #expect(checked.status == 0, "\(checked.output)")
                #expect(
                    checked.output.contains("ok tiles record \(new.size - 1) in tree \(new.size)"),
                    "\(checked.output)"
                )
                #expect(checked.output.contains("ok tiles tree \(new.size) extends \(old.size)"), "\(checked.output)")
            }
        }
    }

    /// Appends `count` batches of 60 raw events, one STREAM APPEND each.
    static func appendBatches(_ count: Int, on client: RESPTestClient) async throws {
        for batch in 0..<count {
            let events = (0..<60).map { #"{"type":"NoteTaken","data":{"batch":\#(batch),"n":\#($0)}}"# }
            let reply = try await client.command(["STREAM", "APPEND", "note-batch-\(batch)", "any"] + events)
            #expect(reply.errorCode == nil, "\(reply)")
        }
    }
}
