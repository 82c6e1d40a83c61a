import AdminProtocol
import Application
import CaselogServer
import CaselogTesting
import Domain
import EventStore
import Foundation
import PostgresNIO
import Synchronization
import Testing

/// A real `caselog serve` process through a database outage under load: it recovers by itself
/// and afterwards still stops on SIGTERM within its drain limit, every acknowledged append kept.
@Suite struct OutageTests {
    @Test func theServerStopsOnSIGTERMAfterAnOutageUnderLoad() async throws {
        try await TestDatabase.withEventStore { store, database in
            let token = try await AccessService(backend: StoreBackend(store: store)).add(
                UserName("admin"),
                role: .admin,
                organization: nil,
                metadata: #"{"actor":"tests"}"#
            )
            let server = try await ServeProcess(
                databaseURL: database.url,
                environment: ["CASELOG_DATABASE_TIMEOUT": "2"]
            )
            defer { server.kill() }
            let load = AppendLoad()
            async let loading: Void = load.run(clients: 8, port: server.port, token: token.text)

            try await load.waitUntil(acknowledged: 40)
            try await database.setAcceptingConnections(false)
            do {
                try await Task.sleep(for: .seconds(3))  // the outage lasts while the clients keep appending
            } catch {
                try await database.setAcceptingConnections(true)
                throw error
            }
            try await database.setAcceptingConnections(true)
            try await load.waitUntil(acknowledged: load.acknowledged.count + 40)  // recovered under load
            load.stop()
            try await loading
            let head = try await store.head().position
            try await RESPTestClient.with(port: server.port) { (client) async throws in
                #expect(try await client.command("AUTH", token.text) == .ok)
            }
            // None of the workers was left behind by the outage.
            try await database.waitUntilProjectionsApplied(through: head, within: .seconds(60))

            #expect(await server.terminate(within: .seconds(20)), "SIGTERM ends the server after the outage")
            let positions = load.acknowledged
            let rows = try await database.client.query(
                "SELECT count(*) FROM events WHERE position = ANY(\(positions))",
                logger: TestDatabase.logger
            )
            var kept: Int64 = 0
            for try await count in rows.decode(Int64.self) { kept = count }
            #expect(kept == Int64(positions.count), "every acknowledged append is in the log")
        }
    }
}

/// Clients appending as fast as they are answered, sending an append again after `UNAVAILABLE`
/// as clients do; remembers the position of every acknowledged append.
final class AppendLoad: Sendable {
    private let state = Mutex<(positions: [Int64], stopped: Bool)>(([], false))

    var acknowledged: [Int64] { state.withLock { $0.positions } }

    func stop() { state.withLock { $0.stopped = true } }

    /// Runs `clients` connections, each appending to its own stream until `stop()`.
    func run(clients: Int, port: Int, token: String) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in 0..<clients {
                group.addTask {
                    try await RESPTestClient.with(port: port) { connection in
                        #expect(try await connection.command("AUTH", token) == .ok)
                        let event = #"{"type":"NoteTaken","data":{"client":\#(client)}}"#
                        while !self.state.withLock({ $0.stopped }) {
                            let reply = try await connection.command("STREAM", "APPEND", "load-\(client)", "any", event)
                            if case .array(let positions) = reply["positions"] {
                                let values = positions.compactMap { value -> Int64? in
                                    if case .integer(let position) = value { return position }
                                    return nil
                                }
                                self.state.withLock { $0.positions += values }
                            } else if reply.errorCode == "UNAVAILABLE" {
                                try await Task.sleep(for: .milliseconds(20))
                            } else {
                                Issue.record("unexpected reply to an append: \(reply)")
                                return
                            }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Waits (up to 60 s) until at least `count` appends were acknowledged.
    func waitUntil(acknowledged count: Int) async throws {
        try await CaselogTesting.waitUntil("\(count) appends acknowledged", within: .seconds(60)) {
            acknowledged.count >= count
        }
    }
}
