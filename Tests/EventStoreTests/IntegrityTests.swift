import CaselogTesting
import EventLog
import EventStore
import Foundation
import PostgresNIO
import Testing

/// The log is append-only in the database, and tampering by a superuser is caught by the chain.
@Suite struct IntegrityTests {
    /// Appends `count` events over a few streams, by turns with their stream's version stated
    /// (chained by the writer) and with `any` (chained by `caselog_append`), so both write the chain.
    static func fill(_ store: EventStore, count: Int) async throws {
        var versions = [StreamVersion](repeating: -1, count: 3)
        for index in 0..<count {
            let event = try NewEvent(type: "CaseNoteAdded", data: #"{"index":\#(index),"note":"ñ ✓ \u00e9"}"#)
            let stream = index % 3
            let stated = ExpectedVersion.at(versions[stream])
            let expected: ExpectedVersion = index % 2 == 0 ? stated : .any
            let result = try await store.append(
                to: try StreamName("case-\(stream)"),
                expected: expected,
                events: [event]
            )
            versions[stream] = result.lastVersion
        }
    }

    /// Runs `sql` as the superuser with the append-only triggers switched off, as an attacker would.
    static func tamper(_ database: TestDatabase, _ sql: String) async throws {
        try await database.client.withTransaction(logger: TestDatabase.logger) { connection in
            try await connection.query("ALTER TABLE events DISABLE TRIGGER USER", logger: TestDatabase.logger)
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: TestDatabase.logger)
            try await connection.query("ALTER TABLE events ENABLE TRIGGER USER", logger: TestDatabase.logger)
        }
    }

    static func sqlState(of error: any Error) -> String? {
        let error = (error as? PSQLError) ?? ((error as? PostgresTransactionError)?.closureError as? PSQLError)
        return error?.serverInfo?[.sqlState]
    }

    @Test(arguments: [
        "UPDATE events SET data = '{}' WHERE position = 1",
        "DELETE FROM events WHERE position = 1",
        "TRUNCATE events",
    ])
    func changesToTheLogAreRejectedByTriggers(_ sql: String) async throws {
        try await TestDatabase.withEventStore { store, database in
            try await Self.fill(store, count: 2)
            await #expect {
                try await database.client.query(PostgresQuery(unsafeSQL: sql))
            } throws: { error in
                Self.sqlState(of: error) == "CL001"
            }
            #expect(try await store.verify().isIntact)
            #expect(try await store.head().position == 2)
        }
    }

    @Test func theServiceRoleMayReadAndAppendButNotChange() async throws {
        try await TestDatabase.withEventStore { store, database in
            try await Self.fill(store, count: 1)
            let role = "caselog_test_app_\(UUID().uuidString.prefix(8).lowercased())"
            try await database.client.query(PostgresQuery(unsafeSQL: "CREATE ROLE \(role) LOGIN IN ROLE caselog_app"))
            var configuration = database.configuration
            configuration.username = role
            let client = PostgresClient(configuration: configuration, backgroundLogger: TestDatabase.logger)
            try await withRunningServices([client]) {
                let appStore = EventStore(client: client, logger: TestDatabase.logger)
                try await withRunningServices([appStore]) {
                    let result = try await appStore.append(
                        to: try StreamName("case-app"),
                        events: [try NewEvent(type: "CaseOpened", data: "{}")]
                    )
                    #expect(result.positions == [2])
                }
                for sql in ["UPDATE events SET type = 'X'", "DELETE FROM events", "UPDATE log_head SET position = 0"] {
                    await #expect {
                        try await client.query(PostgresQuery(unsafeSQL: sql))
                    } throws: { error in
                        ["42501", "CL002"].contains(Self.sqlState(of: error))
                    }
                }
            }
            try await database.client.query(PostgresQuery(unsafeSQL: "DROP ROLE \(role)"))
            #expect(try await store.verify().isIntact)
        }
    }

    @Test func verifyingFromAPositionAfterTheHeadSaysSo() async throws {
        try await TestDatabase.withEventStore { store, _ in
            try await Self.fill(store, count: 3)
            await #expect(throws: EventLogError(.invalid, "from: 5000 is after the log's last position, 3")) {
                try await store.verify(from: 5000)
            }
            let fromTheNext = try await store.verify(from: 4)
            #expect(fromTheNext.isIntact && fromTheNext.verifiedCount == 0)
            let fromTheLast = try await store.verify(from: 3)
            #expect(fromTheLast.isIntact && fromTheLast.verifiedCount == 1)
        }
    }

    @Test func aRowThatIsNotAnEventIsUnexpectedDataNotAnUnavailableDatabase() async throws {
        try await TestDatabase.withEventStore { store, database in
            try await Self.fill(store, count: 2)
            try await Self.tamper(database, "UPDATE events SET recorded_at = 'infinity' WHERE position = 2")
            await #expect(throws: EventLogError(.internal, "unexpected data from the database")) {
                try await store.readAll(from: 1, limit: 10)
            }
            #expect(try await store.head().position == 2, "the store still answers: nothing marked it unreachable")
            #expect(try await store.readAll(from: 1, limit: 1).count == 1)
        }
    }

    @Test func aModifiedRowIsCaughtAtItsPosition() async throws {
        try await TestDatabase.withEventStore { store, database in
            try await Self.fill(store, count: 10)
            try await Self.tamper(
                database,
                #"UPDATE events SET data = '{"index":6,"note":"rewritten"}' WHERE position = 7"#
            )
            let report = try await store.verify()
            #expect(report.failure?.position == 7)
            #expect(report.failure?.reason.contains("does not match its hash") == true)
            #expect(report.verifiedCount == 6)
        }
    }

    @Test func aDeletedRowIsCaughtAtItsPosition() async throws {
        try await TestDatabase.withEventStore { store, database in
            try await Self.fill(store, count: 10)
            try await Self.tamper(database, "DELETE FROM events WHERE position = 4")
            let report = try await store.verify()
            #expect(report.failure?.position == 4)
            #expect(report.failure?.reason.hasPrefix("missing") == true)
        }
    }

    @Test func twoRowsWithSwappedContentsAreCaughtAtTheFirst() async throws {
        try await TestDatabase.withEventStore { store, database in
            try await Self.fill(store, count: 10)
            try await Self.tamper(
                database,
                """
                UPDATE events e SET data = o.data, metadata = o.metadata, type = o.type
                FROM events o WHERE (e.position, o.position) IN ((3, 8), (8, 3))
                """
            )
            let report = try await store.verify()
            #expect(report.failure?.position == 3)
        }
    }

    @Test func verifyingARangeStartsFromTheStoredHashBeforeIt() async throws {
        try await TestDatabase.withEventStore { store, database in
            try await Self.fill(store, count: 12)
            #expect(try await store.verify(from: 5, through: 9).lastPosition == 9)
            try await Self.tamper(database, "UPDATE events SET type = 'Forged' WHERE position = 11")
            #expect(try await store.verify(from: 5, through: 9).isIntact)
            #expect(try await store.verify(from: 5).failure?.position == 11)
        }
    }

    /// The independent verifier of docs/integrity.md, in Python over `psql --csv`, agrees with the chain.
    @Test func theDocumentedPythonVerifierAgrees() async throws {
        try await TestDatabase.withEventStore { store, database in
            try await Self.fill(store, count: 20)
            #expect(try await Self.runPythonVerifier(database).hasPrefix("ok 20 events"))
            try await Self.tamper(database, "UPDATE events SET stream = 'case-9' WHERE position = 13")
            #expect(try await Self.runPythonVerifier(database).hasPrefix("mismatch at position 13"))
        }
    }

    static func runPythonVerifier(_ database: TestDatabase) async throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return try await Subprocess.run(
            "sh",
            [
                "-c", "psql --csv -X -q -c 'SELECT * FROM events ORDER BY position' \"$1\" | python3 \"$2\"",
                "sh", database.url, root.appendingPathComponent("docs/verify_chain.py").path,
            ]
        )
    }
}
