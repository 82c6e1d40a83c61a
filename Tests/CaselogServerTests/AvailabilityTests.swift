import AdminProtocol
import CaselogTesting
import EventStore
import Foundation
import Testing

/// While PostgreSQL is unreachable the server answers `UNAVAILABLE` promptly, keeps serving
/// what needs no database, and recovers by itself once PostgreSQL is back.
@Suite struct AvailabilityTests {
    @Test func commandsAnswerUnavailableWhileTheDatabaseIsDownAndRecoverAfterwards() async throws {
        var store = EventStore.Configuration()
        // The server's own setup (the admin user) runs under this limit too, when every suite
        // starts at once: 1 s, and 2 s for the admin's append, were too little there on a loaded
        // machine.
        store.databaseTimeout = .seconds(3)
        store.appendTimeout = .seconds(4)
        try await TestServer.with(store: store) { server in
            try await server.withClient(token: server.adminToken) { (client) async throws in
                let event = #"{"type":"NoteTaken","data":{"n":1}}"#
                let first = try await client.command("STREAM", "APPEND", "note-1", "any", event)
                #expect(first["positions"] != nil, "\(first)")

                try await server.database.setAcceptingConnections(false)
                do {
                    let clock = ContinuousClock()
                    let start = clock.now
                    let head = try await client.command("LOG", "HEAD")
                    #expect(head.errorCode == "UNAVAILABLE", "\(head)")
                    let append = try await client.command("STREAM", "APPEND", "note-1", "any", event)
                    #expect(append.errorCode == "UNAVAILABLE", "\(append)")
                    #expect(clock.now - start < .seconds(15), "answered within the database timeouts, not hanging")
                    #expect(try await client.command("PING") == .pong)
                } catch {
                    try await server.database.setAcceptingConnections(true)
                    throw error
                }
                try await server.database.setAcceptingConnections(true)

                // As a client would, each command is sent again while it is answered UNAVAILABLE.
                let head = try await Self.retried(by: client, "LOG", "HEAD")
                #expect(head["position"] != nil, "the server recovered by itself: \(head)")
                let appended = try await Self.retried(by: client, "STREAM", "APPEND", "note-1", "any", event)
                #expect(appended["positions"] != nil, "appends work again: \(appended)")
            }
        }
    }

    /// The reply to `arguments`, sent again every 100 ms (up to 10 s) while it is `UNAVAILABLE`.
    static func retried(by client: RESPTestClient, _ arguments: String...) async throws -> RESPValue {
        var reply = try await client.command(arguments)
        for _ in 0..<100 where reply.errorCode == "UNAVAILABLE" {
            try await Task.sleep(for: .milliseconds(100))
            reply = try await client.command(arguments)
        }
        return reply
    }
}
