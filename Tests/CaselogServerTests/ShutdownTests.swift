import AdminProtocol
import Application
import CaselogServer
import CaselogTesting
import Domain
import EventStore
import ServiceLifecycle
import Testing

/// Graceful shutdown: every command a connection already sent is answered (appends committed)
/// before the connection closes.
@Suite struct ShutdownTests {
    @Test func gracefulShutdownAnswersEveryCommandAlreadyReceived() async throws {
        try await TestDatabase.with { database in
            var configuration = ServerConfiguration(databaseURL: database.url)
            configuration.logLevel = TestDatabase.logger.logLevel
            configuration.adminServer.port = 0
            configuration.adminServer.drainTimeout = .seconds(120)  // a loaded machine must not cut the drain short
            let service = try CaselogService(configuration: configuration, parts: [.adminProtocol])
            // The composition root's order: the server drains before the writer stops.
            let group = service.serviceGroup()
            async let running: Void = group.run()

            let token = try await AccessService(backend: StoreBackend(store: service.store)).add(
                UserName("admin"),
                role: .admin,
                organization: nil,
                metadata: #"{"actor":"tests"}"#
            )
            let appends = 100
            try await RESPTestClient.with(port: try await service.boundPort()) { client in
                var burst = RESPTestClient.encode(["AUTH", token.text])
                for index in 0..<appends {
                    burst += RESPTestClient.encode([
                        "STREAM", "APPEND", "note-\(index)", "no-stream", #"{"type":"NoteTaken","data":{}}"#,
                    ])
                    burst += "PING\r\n"
                }
                try await client.send(raw: burst)
                #expect(try await client.reply() == .ok)
                await group.triggerGracefulShutdown()
                for _ in 0..<appends {
                    #expect(try await client.reply()["positions"] != nil)
                    #expect(try await client.reply() == .pong)
                }
                #expect(await client.isClosedByServer())
            }
            try await running
            let store = EventStore(client: database.client, logger: TestDatabase.logger)
            #expect(try await store.head().position == Int64(2 + appends), "every answered append is committed")
        }
    }
}
