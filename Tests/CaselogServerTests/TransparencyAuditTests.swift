import CaselogServer
import CaselogTesting
import EventLog
import EventStore
import Foundation
import PostgresNIO
import ProtocolClient
import Testing
import TransparencyLog

/// An auditor's checks with the `caselog` binary: receipts offline, and saved checkpoints against
/// a log a superuser rewrote consistently.
@Suite struct TransparencyAuditTests {
    static func binary() throws -> String {
        guard let path = ProcessInfo.processInfo.environment["CASELOG_BIN"] else {
            throw TestEnvironmentError("CASELOG_BIN is not set: run the tests with scripts/test.sh")
        }
        return path
    }

    /// The latest checkpoint once it covers the head, saved to a file in `directory`.
    static func saveCheckpoint(_ server: TestServer, in directory: URL, key: NoteSignerKey) async throws -> (
        Checkpoint, String
    ) {
        try await server.withClient(token: server.adminToken) { client in
            let (checkpoint, note) = try await TransparencyLogTests.checkpoint(of: server, client: client, key: key)
            let path = directory.appending(path: "checkpoint-\(checkpoint.size)").path
            try Data(note.utf8).write(to: URL(fileURLWithPath: path))
            return (checkpoint, path)
        }
    }

    /// As a superuser with the triggers off: changes the event at `position` and recomputes every
    /// chain hash from there on and the head, by the recipe of docs/integrity.md.
    static func rewrite(_ database: TestDatabase, at position: Int64) async throws {
        let logger = TestDatabase.logger
        try await database.client.withTransaction(logger: logger) { connection in
            try await connection.query("ALTER TABLE events DISABLE TRIGGER USER", logger: logger)
            try await connection.query(
                "UPDATE events SET data = '{\"n\":\"rewritten\"}' WHERE position = \(position)",
                logger: logger
            )
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        DO $$
                        DECLARE r record; prev bytea; h bytea;
                        BEGIN
                            SELECT hash INTO prev FROM events WHERE position = \(position - 1);
                            FOR r IN SELECT * FROM events WHERE position >= \(position) ORDER BY position LOOP
                                h := sha256(prev || convert_to(concat_ws(E'\\n', 'caselog-event/1', r.position,
                                    r.stream, r.version, r.id, r.type,
                                    to_char(r.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                                    r.data, r.metadata), 'UTF8'));
                                UPDATE events SET prev_hash = prev, hash = h WHERE position = r.position;
                                prev := h;
                            END LOOP;
                            UPDATE log_head SET hash = prev;
                        END $$
                        """
                ),
                logger: logger
            )
            try await connection.query("ALTER TABLE events ENABLE TRIGGER USER", logger: logger)
        }
    }

    /// As a superuser: removes the stored tree, so that it is rebuilt from the rewritten events.
    static func dropStoredTree(_ database: TestDatabase) async throws {
        let logger = TestDatabase.logger
        try await database.client.withTransaction(logger: logger) { connection in
            for statement in [
                "ALTER TABLE log_tree_hashes DISABLE TRIGGER USER", "ALTER TABLE log_tree DISABLE TRIGGER USER",
                "DELETE FROM log_tree_hashes", "UPDATE log_tree SET size = 0",
                "ALTER TABLE log_tree_hashes ENABLE TRIGGER USER", "ALTER TABLE log_tree ENABLE TRIGGER USER",
            ] {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
        }
    }

    static func verify(_ database: TestDatabase, checkpoints: [String], key: NoteSignerKey) async throws
        -> Subprocess.Outcome
    {
        try await Subprocess.outcome(
            try binary(),
            ["verify", "--database-url", database.url, "--key", key.verifier.text]
                + checkpoints.flatMap { ["--checkpoint", $0] }
        )
    }

    @Test func aConsistentRewriteIsCaughtAtTheChangedEvent() async throws {
        try await TransparencyLogTests.withKeyFile { path, key in
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try await TestServer.with(logKeyFile: path) { server in
                try await server.withClient(token: server.adminToken) { client in
                    try await TransparencyLogTests.append(8, on: client)
                }
                let (saved, file) = try await Self.saveCheckpoint(server, in: directory, key: key)
                let holds = try await Self.verify(server.database, checkpoints: [file], key: key)
                #expect(holds.status == 0, "\(holds.output)")
                #expect(holds.output.contains("extends the checkpoint of size \(saved.size)"))

                let target = saved.size - 3
                try await Self.rewrite(server.database, at: target)
                let chainOnly = try await Subprocess.outcome(
                    try Self.binary(),
                    ["verify", "--database-url", server.database.url]
                )
                #expect(chainOnly.status == 0, "the rewritten chain is self-consistent: \(chainOnly.output)")

                let refused = try await Self.verify(server.database, checkpoints: [file], key: key)
                #expect(refused.status == 1)
                #expect(
                    refused.output.contains(
                        "does not extend the checkpoint of size \(saved.size) (origin \(TransparencyLogTests.origin)): "
                            + "it first differs at size \(target)"
                    ),
                    "\(refused.output)"
                )
            }
        }
    }

    @Test func aRewriteOfTheStoredTreeTooIsCaughtAndNeverSigned() async throws {
        try await TransparencyLogTests.withKeyFile { path, key in
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try await TestServer.with(logKeyFile: path) { server in
                try await server.withClient(token: server.adminToken) { client in
                    try await TransparencyLogTests.append(3, on: client)
                }
                let (early, earlyFile) = try await Self.saveCheckpoint(server, in: directory, key: key)
                try await server.withClient(token: server.adminToken) { client in
                    try await TransparencyLogTests.append(6, on: client)
                }
                let (late, lateFile) = try await Self.saveCheckpoint(server, in: directory, key: key)

                try await Self.rewrite(server.database, at: early.size + 2)
                try await Self.dropStoredTree(server.database)
                let builder = TreeBuilder(
                    store: server.store,
                    signer: key,
                    origin: TransparencyLogTests.origin,
                    logger: TestDatabase.logger
                )
                let rebuilt = try await builder.extend()
                #expect(rebuilt.size == late.size)
                #expect(rebuilt.root != late.root, "the rebuilt tree is the rewritten one")
                try await server.withClient(token: server.adminToken) { client in
                    try await TransparencyLogTests.append(1, on: client)
                }
                let extended = try await builder.extend(rebuilt)
                await #expect(throws: TreeRefusal.self, "the log never signs a tree inconsistent with its last") {
                    try await builder.sign(extended)
                }
                let stillSigned = try await server.store.latestCheckpoint()
                #expect(stillSigned?.size == late.size)

                let refused = try await Self.verify(server.database, checkpoints: [earlyFile, lateFile], key: key)
                #expect(refused.status == 1)
                #expect(
                    refused.output.contains(
                        "does not extend the checkpoint of size \(late.size) (origin \(TransparencyLogTests.origin)): "
                            + "it first differs at size \(late.size) (position \(late.size)); "
                            + "it extends the checkpoint of size \(early.size)"
                    ),
                    "\(refused.output)"
                )
            }
        }
    }

    @Test func aReceiptIsCheckedWithNoServerAndAnAlteredOneRefused() async throws {
        try await TransparencyLogTests.withKeyFile { path, key in
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            let binary = try Self.binary()
            let shown = try await Subprocess.outcome(binary, ["key", "show", path])
            #expect(shown.output == key.verifier.text + "\n")
            let again = try await Subprocess.outcome(binary, ["key", "generate", path, "--name", "other.example/log"])
            #expect(again.status == 2, "an existing key is never replaced")

            try await TestServer.with(logKeyFile: path) { server in
                try await server.withClient(token: server.adminToken) { client in
                    try await TransparencyLogTests.append(5, on: client)
                    _ = try await TransparencyLogTests.checkpoint(of: server, client: client, key: key)
                }
                let receipt = directory.appending(path: "event-4.tlog-proof").path
                let fetched = try await Subprocess.outcome(
                    binary,
                    ["proof", "inclusion", "4", "-o", receipt, "--server", "127.0.0.1:\(server.port)"],
                    environment: ["CASELOG_TOKEN": server.adminToken]
                )
                #expect(fetched.status == 0)
                let text = try String(contentsOfFile: receipt, encoding: .utf8)
                #expect(text.hasPrefix("c2sp.org/tlog-proof@v1\nextra "))
                let event = try #require(try await server.store.readAll(from: 4, limit: 1).first)

                let checked = try await Subprocess.outcome(
                    binary,
                    ["verify", "--receipt", receipt, "--key", key.verifier.text]
                )
                #expect(checked.status == 0, "\(checked.output)")
                #expect(
                    checked.output.hasPrefix(
                        "included: position 4 (leaf index 3), event hash \(Hex.encode(event.hash))"
                    )
                )

                let altered = text.replacingOccurrences(of: "index 3\n", with: "index 2\n")
                try Data(altered.utf8).write(to: URL(fileURLWithPath: receipt))
                let refused = try await Subprocess.outcome(
                    binary,
                    ["verify", "--receipt", receipt, "--key", key.verifier.text]
                )
                #expect(refused.status == 1)
                #expect(refused.output.hasPrefix("refused: the inclusion proof does not lead to the checkpoint's root"))

                let otherKey = try NoteSignerKey.generate(name: TransparencyLogTests.origin)
                try Data(text.utf8).write(to: URL(fileURLWithPath: receipt))
                let wrongKey = try await Subprocess.outcome(
                    binary,
                    ["verify", "--receipt", receipt, "--key", otherKey.verifier.text]
                )
                #expect(wrongKey.status == 1)
            }
        }
    }
}
