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
        // starts at once: 1 s was once too little there on a loaded machine.
        store.databaseTimeout = .seconds(3)
        store.appendTimeout = .seconds(2)
        try await TestServer.with(store: store) { server in
            try await server.withClient(token: server.adminToken) { (client) async throws in
                let event = #"{"type":"NoteTaken","data":{"n":1}}"#
                #expect(try await client.command("STREAM", "APPEND", "note-1", "any", event)["positions"] != nil)

                try await server.database.setAcceptingConnections(false)
                do {
                    let clock = ContinuousClock()
                    let start = clock.now
                    let head = try await client.command("LOG", "HEAD")
                    #expect(head.errorCode == "UNAVAILABLE", "\(head)")
                    let append = try await client.command("STREAM", "APPEND", "note-1", "any", event)
                    #expect(append.errorCode == "UNAVAILABLE", "\(append)")
                    #expect(clock.now - start < .seconds(10), "answered within the database timeout, not hanging")
                    #expect(try await client.command("PING") == .pong)
                } catch {
                    try await server.database.setAcceptingConnections(true)
                    throw error
                }
                try await server.database.setAcceptingConnections(true)

                var head = try await client.command("LOG", "HEAD")
                for _ in 0..<100 where head.errorCode == "UNAVAILABLE" {
                    try await Task.sleep(for: .milliseconds(100))
                    head = try await client.command("LOG", "HEAD")
                }
                #expect(head["position"] != nil, "the server recovered by itself: \(head)")
                #expect(try await client.command("STREAM", "APPEND", "note-1", "any", event)["positions"] != nil)
            }
        }
    }
}
