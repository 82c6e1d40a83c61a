import CaselogTesting
import EventLog
import EventStore
import Foundation
import PostgresNIO
import Testing
import TransparencyLog

/// The stored Merkle tree and checkpoints (migrations 0008 and 0010): append-only for every role, and
/// extended and signed by the service's own least-privilege role.
@Suite struct TreeTablesTests {
    static let origin = "caselog.test/log"

    static func builder(_ store: EventStore) throws -> TreeBuilder {
        TreeBuilder(
            store: store,
            signer: try NoteSignerKey.generate(name: origin),
            origin: origin,
            logger: TestDatabase.logger
        )
    }

    @Test(arguments: [
        ("UPDATE log_tree_hashes SET hash = hash", "CL001"),
        ("DELETE FROM log_tree_hashes", "CL001"),
        ("TRUNCATE log_tree_hashes", "CL001"),
        ("UPDATE log_tree SET size = 0", "CL002"),
        ("DELETE FROM log_tree", "CL002"),
        ("UPDATE log_checkpoint SET size = 1", "CL002"),
        ("DELETE FROM log_checkpoint", "CL002"),
        ("TRUNCATE log_cosigned_checkpoint", "CL002"),
    ])
    func theStoredTreeOnlyGrows(_ sql: String, _ state: String) async throws {
        try await TestDatabase.withEventStore { store, database in
            try await IntegrityTests.fill(store, count: 3)
            let builder = try Self.builder(store)
            let frontier = try await builder.extend()
            try await builder.sign(frontier)
            await #expect {
                try await database.client.query(PostgresQuery(unsafeSQL: sql))
            } throws: { error in
                IntegrityTests.sqlState(of: error) == state
            }
            #expect(try await store.treeSize() == frontier.size)
            #expect(try await store.latestCheckpoint()?.root == frontier.root)
        }
    }

    @Test func theServiceRoleExtendsAndSignsTheTree() async throws {
        try await TestDatabase.withEventStore { store, database in
            try await IntegrityTests.fill(store, count: 5)
            let role = "caselog_test_app_\(UUID().uuidString.prefix(8).lowercased())"
            try await database.client.query(PostgresQuery(unsafeSQL: "CREATE ROLE \(role) LOGIN IN ROLE caselog_app"))
            var configuration = database.configuration
            configuration.username = role
            let client = PostgresClient(configuration: configuration, backgroundLogger: TestDatabase.logger)
            try await withRunningServices([client]) {
                let appStore = EventStore(client: client, logger: TestDatabase.logger)
                try await withRunningServices([appStore]) {
                    let builder = try Self.builder(appStore)
                    let frontier = try await builder.extend()
                    #expect(frontier.size == 5)
                    try await builder.sign(frontier)
                    let checkpoint = try await appStore.latestCheckpoint()
                    #expect(checkpoint?.size == 5)
                    #expect(checkpoint?.root == frontier.root)
                }
            }
            try await database.client.query(PostgresQuery(unsafeSQL: "DROP OWNED BY \(role)"))
            try await database.client.query(PostgresQuery(unsafeSQL: "DROP ROLE \(role)"))
        }
    }
}
