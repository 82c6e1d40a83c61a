import CaselogTesting
import EventLog
import EventStore
import Foundation
import PostgresNIO
import Projections
import Testing

/// `caselog serve` connects as the service role of db/service-role.sql: it serves appends and
/// runs the projections, but cannot alter the log or switch its append-only triggers off.
@Suite(.serialized) struct ServiceRoleTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Creates a service role with db/service-role.sql, as scripts/run.sh does; answers its URL.
    static func createServiceRole(_ database: TestDatabase) async throws -> (name: String, url: String) {
        let name = "caselog_test_service_\(UUID().uuidString.prefix(8).lowercased())"
        _ = try await Subprocess.run(
            "psql",
            [
                database.url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-v", "role=\(name)",
                "-f", root.appendingPathComponent("db/service-role.sql").path,
            ]
        )
        var service = database.configuration
        service.username = name
        let url = "postgres://\(name)@\(service.host ?? "127.0.0.1"):\(service.port ?? 5432)/\(service.database ?? "")"
        return (name, url)
    }

    static func dropRole(_ name: String, _ database: TestDatabase) async throws {
        try await database.client.query(PostgresQuery(unsafeSQL: "DROP ROLE \(name)"), logger: TestDatabase.logger)
    }

    static func sqlState(of error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    static func strings(_ sql: String, _ client: PostgresClient) async throws -> [String] {
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql), logger: TestDatabase.logger)
        var values: [String] = []
        for try await value in rows.decode(String.self) { values.append(value) }
        return values
    }

    @Test func theServiceRoleCannotAlterTheLogOrSwitchItsTriggersOff() async throws {
        try await TestDatabase.withEventStore { store, database in
            _ = try await store.append(
                to: try StreamName("note-1"),
                events: [try NewEvent(type: "NoteTaken", data: "{}")]
            )
            let role = try await Self.createServiceRole(database)
            var configuration = database.configuration
            configuration.username = role.name
            let client = PostgresClient(configuration: configuration, backgroundLogger: TestDatabase.logger)
            try await withRunningServices([client]) { () async throws in
                #expect(try await Self.strings("SELECT current_user::text", client) == ["caselog_app"])
                for sql in [
                    "ALTER TABLE events DISABLE TRIGGER USER",
                    "ALTER TABLE events DISABLE TRIGGER events_no_update_or_delete",
                    "ALTER TABLE events ADD COLUMN forged text",
                    "DROP TRIGGER events_no_update_or_delete ON events",
                    "UPDATE events SET type = 'Forged'",
                    "DELETE FROM events",
                    "TRUNCATE events",
                    "SET ROLE postgres",
                ] {
                    do {
                        try await client.query(PostgresQuery(unsafeSQL: sql), logger: TestDatabase.logger)
                        Issue.record("the service role may \(sql)")
                    } catch {
                        #expect(Self.sqlState(of: error) == "42501", "\(sql): \(error)")
                    }
                }
                #expect(try await Self.strings("SELECT type FROM events", client) == ["NoteTaken"])
            }
            try await Self.dropRole(role.name, database)
            #expect(try await store.verify().isIntact)
        }
    }

    @Test func aServerRunAsTheServiceRoleAppendsProjectsAndRebuilds() async throws {
        try await TestDatabase.withEventStore { store, database in
            let role = try await Self.createServiceRole(database)
            let server = try await ServerProcess.start(databaseURL: role.url)
            try await Self.appendAndRebuild(through: server, database: database)
            #expect(await server.stop() == 0)
            try await Self.dropRole(role.name, database)
            #expect(try await store.verify().isIntact)
        }
    }

    /// A database served before as its owner holds read models the owner owns; migration 0007
    /// hands them to caselog_app, so the service role applies events to them and rebuilds them.
    @Test func readModelsCreatedByTheOwnerAreHandedToTheServiceRole() async throws {
        try await TestDatabase.withEventStore { store, database in
            let asOwner = try await ServerProcess.start(databaseURL: database.url)
            let admin = try await Self.addAdmin(database)
            try await RESPTestClient.with(port: asOwner.port) { client in
                #expect(try await client.command("AUTH", admin) == .ok)
                _ = try await client.command("ORG", "REGISTER", "cbo-one", "NAME", "One", "KIND", "cbo")
                let made = try await ReadModelCommandTests.makeCommitment(client, due: "2025-09-01")
                try await database.waitUntilProjectionsApplied(through: made.position)
            }
            #expect(await asOwner.stop() == 0)
            #expect(try await Self.strings(Self.readModelOwners, database.client).contains("postgres"))

            let migration = try String(
                contentsOf: Self.root.appendingPathComponent("db/migrations/0007_read_models_owned_by_caselog_app.sql"),
                encoding: .utf8
            )
            try await database.client.query(PostgresQuery(unsafeSQL: migration), logger: TestDatabase.logger)
            #expect(try await Self.strings(Self.readModelOwners, database.client) == ["caselog_app"])

            let role = try await Self.createServiceRole(database)
            let server = try await ServerProcess.start(databaseURL: role.url)
            try await Self.appendAndRebuild(through: server, database: database)
            #expect(await server.stop() == 0)
            try await Self.dropRole(role.name, database)
        }
    }

    /// The owners of the read models' schemas and tables, once each.
    static let readModelOwners = """
        SELECT DISTINCT pg_get_userbyid(owner)::text FROM (
            SELECT nspowner AS owner FROM pg_namespace WHERE nspname LIKE 'rm\\_%'
            UNION ALL
            SELECT c.relowner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname LIKE 'rm\\_%'
        ) o
        """

    /// Adds an admin with `caselog user add` as the database owner, as the README says; answers its token.
    static func addAdmin(_ database: TestDatabase) async throws -> String {
        try await Subprocess.run(
            ProcessInfo.processInfo.environment["CASELOG_BIN"] ?? "caselog",
            [
                "user", "add", "admin-\(UUID().uuidString.prefix(8).lowercased())", "--role", "admin",
                "--database-url", database.url, "--log-level", "error",
            ]
        ).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Over the server's protocol: registers an organization and makes a commitment, waits until
    /// every projection applied it, rebuilds the commitments and waits until the rebuild is in.
    static func appendAndRebuild(through server: ServerProcess, database: TestDatabase) async throws {
        let admin = try await addAdmin(database)
        try await RESPTestClient.with(port: server.port) { client in
            #expect(try await client.command("AUTH", admin) == .ok)
            _ = try await client.command("ORG", "REGISTER", "cbo-one", "NAME", "One", "KIND", "cbo")
            let made = try await ReadModelCommandTests.makeCommitment(client, due: "2025-09-01")
            try await database.waitUntilProjectionsApplied(through: made.position)
            #expect(try await client.command("COMMITMENT", "GET", made.id)["id"]?.text == made.id)

            #expect(try await client.command("PROJECTION", "REBUILD", "commitments") == .ok)
            try await waitUntil("the rebuild of the commitments ends") {
                try await strings(
                    "SELECT coalesce(rebuild_position::text, 'done') FROM projection_checkpoints WHERE name = 'commitments'",
                    database.client
                ) == ["done"]
            }
            #expect(
                try await strings(
                    "SELECT rebuild_position::text FROM projection_checkpoints WHERE rebuild_position IS NOT NULL",
                    database.client
                ).isEmpty,
                "the rebuild was swapped in"
            )
            #expect(try await strings(readModelOwners, database.client) == ["caselog_app"])
            #expect(try await client.command("COMMITMENT", "GET", made.id)["id"]?.text == made.id, "rebuilt")
        }
    }
}
