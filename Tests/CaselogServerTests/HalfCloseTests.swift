import AdminProtocol
import CaselogTesting
import PostgresNIO
import Testing

/// A client that closes its sending side after its requests (as `nc`, shell pipelines and batch
/// scripts do) still gets an answer to each, appends committed, before the server closes.
@Suite struct HalfCloseTests {
    @Test func everyRequestSentBeforeAHalfCloseIsAnswered() async throws {
        try await TestServer.with { server in
            try await server.withClient { (client) async throws in
                var requests = RESPTestClient.encode(["AUTH", server.adminToken])
                requests += "LOG HEAD\r\n"
                requests += RESPTestClient.encode([
                    "STREAM", "APPEND", "note-1", "no-stream", #"{"type":"NoteTaken","data":{}}"#,
                ])
                requests += "PING\r\n"
                try await client.send(raw: requests)
                client.finishSending()

                #expect(try await client.reply() == .ok)
                #expect(try await client.reply()["position"] == .integer(2))
                #expect(try await client.reply()["positions"] == .array([.integer(3)]))
                #expect(try await client.reply() == .pong)
                #expect(await client.isClosedByServer())
            }
            #expect(try await server.store.head().position == 3)
        }
    }

    /// The append cannot commit until the test lets go of the log's head, which it does only
    /// after the half-close: its reply necessarily comes after it.
    @Test func anAppendAnsweredAfterTheHalfCloseIsAcknowledged() async throws {
        try await TestServer.with { server in
            let (locked, lockTaken) = AsyncStream<Void>.makeStream()
            let (release, releasing) = AsyncStream<Void>.makeStream()
            defer { releasing.finish() }
            let holding = Task {
                try await server.database.client.withTransaction(logger: TestDatabase.logger) { connection in
                    _ = try await connection.query(
                        "SELECT position FROM log_head FOR UPDATE",
                        logger: TestDatabase.logger
                    )
                    .collect()
                    lockTaken.finish()
                    for await _ in release {}
                }
            }
            for await _ in locked {}
            try await server.withClient { (client) async throws in
                var requests = RESPTestClient.encode(["AUTH", server.adminToken])
                requests += RESPTestClient.encode([
                    "STREAM", "APPEND", "note-1", "no-stream", #"{"type":"NoteTaken","data":{}}"#,
                ])
                try await client.send(raw: requests)
                client.finishSending()
                releasing.finish()
                try await holding.value
                #expect(try await client.reply() == .ok)
                #expect(try await client.reply()["positions"] == .array([.integer(3)]))
                #expect(await client.isClosedByServer())
            }
            #expect(try await server.store.head().position == 3)
        }
    }
}
