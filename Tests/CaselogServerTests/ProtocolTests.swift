import AdminProtocol
import CaselogTesting
import Domain
import Foundation
import Testing

/// The admin protocol over real TCP against the real server and PostgreSQL.
@Suite struct ProtocolTests {
    @Test func inlineAndRESPFramingBothWork() async throws {
        try await TestServer.with { server in
            try await server.withClient { (client) async throws in
                try await client.send(raw: "PING\r\n")
                #expect(try await client.reply() == .pong)
                try await client.send(raw: "*1\r\n$4\r\nPING\r\n")
                #expect(try await client.reply() == .pong)
                try await client.send(raw: #"ECHO "a b\x41\n" 'it\'s'"# + "\r\n")
                #expect(try await client.reply().errorCode == "ERR")  // ECHO takes one argument
                try await client.send(raw: #"ECHO "a b\x41\n""# + "\n")
                #expect(try await client.reply().text == "a bA\n")
            }
        }
    }

    @Test func aThousandPipelinedCommandsAnswerInOrder() async throws {
        try await TestServer.with { server in
            try await server.withClient(token: server.adminToken) { (client) async throws in
                var burst = ""
                for index in 0..<1000 {
                    burst += index % 100 == 50 ? RESPTestClient.encode(["LOG", "HEAD"]) : "ECHO \(index)\r\n"
                }
                try await client.send(raw: burst)
                for index in 0..<1000 {
                    let reply = try await client.reply()
                    if index % 100 == 50 {
                        #expect(reply["position"] == .integer(2))  // the admin user's two events
                    } else {
                        #expect(reply.text == String(index))
                    }
                }
            }
        }
    }

    @Test func requestsSplitIntoSingleBytesAreReassembled() async throws {
        try await TestServer.with { server in
            try await server.withClient { (client) async throws in
                for byte in "*2\r\n$4\r\nECHO\r\n$12\r\nhello\r\nworld\r\n" {
                    try await client.send(raw: String(byte))
                }
                #expect(try await client.reply().text == "hello\r\nworld")
            }
        }
    }

    @Test func helloThreeSwitchesToRESP3Maps() async throws {
        try await TestServer.with { server in
            try await server.withClient { (client) async throws in
                let reply = try await client.command("HELLO", "3", "AUTH", "admin", server.adminToken, "SETNAME", "t1")
                guard case .map = reply else {
                    Issue.record("HELLO 3 should answer a RESP3 map, got \(reply)")
                    return
                }
                #expect(reply["proto"] == .integer(3))
                #expect(try await client.command("CLIENT", "GETNAME").text == "t1")
                #expect(try await client.command("WHOAMI")["role"]?.text == "admin")
            }
        }
    }

    @Test func everyErrorCodeIsProvokedAndTheConnectionKeepsServing() async throws {
        try await TestServer.with(configure: { $0.limits.maxRequestBytes = 64 * 1024 }) { server in
            try await DomainCommandTests.registerOrganizations(server)
            let coordinator = try await server.token(for: "cora", role: .coordinator, organization: "cbo-one")
            try await server.withClient { (client) async throws in
                #expect(try await client.command("NOSUCH").errorCode == "ERR")
                #expect(try await client.command("LOG", "HEAD").errorCode == "NOAUTH")
                #expect(try await client.command("AUTH", "admin.wrong").errorCode == "NOAUTH")
                // Redis' own handshake reply, kept word for word.
                #expect(
                    try await client.command("HELLO", "4")
                        == .error("NOPROTO unsupported protocol version; caselog speaks 2 and 3")
                )
                #expect(try await client.command("PING") == .pong)
            }
            try await server.withClient(token: coordinator) { (client) async throws in
                let reply = try await client.command("LOG", "READ", "FROM", "1")
                #expect(reply.errorCode == "NOPERM")
                #expect(reply.text?.contains("coordinator may not run log read") == true)
            }
            try await server.withClient(token: server.adminToken) { (client) async throws in
                let event = #"{"type":"NoteTaken","data":{"title":"t"},"id":"6f1c2a70-1b8e-4d4e-9d7e-0c1f2e3d4a5b"}"#
                let invalid = try await client.command("STREAM", "APPEND", "Case 1", "any", event)
                #expect(invalid.errorCode == "INVALID" && invalid.text?.contains("stream:") == true)
                #expect(try await client.command("STREAM", "APPEND", "note-1", "no-stream", event)["positions"] != nil)
                let wrong = try await client.command(
                    "STREAM",
                    "APPEND",
                    "note-1",
                    "no-stream",
                    #"{"type":"X","data":{}}"#
                )
                #expect(wrong.errorCode == "WRONGVERSION" && wrong.text?.contains("actual 0") == true)
                let other = event.replacingOccurrences(of: #""title":"t""#, with: #""title":"u""#)
                #expect(try await client.command("STREAM", "APPEND", "note-2", "any", other).errorCode == "CONFLICT")
                #expect(try await client.command("USER", "REVOKE", "nobody").errorCode == "NOTFOUND")
                #expect(try await client.command("PING") == .pong)
            }
            try await server.withClient { (client) async throws in
                let reply = try await client.command("ECHO", String(repeating: "x", count: 100 * 1024))
                #expect(reply.errorCode == "TOOLARGE")
                #expect(try await client.command("PING") == .pong)
            }
            try await server.withClient { (client) async throws in
                // A command name that is not UTF-8 names no command; the connection goes on.
                try await client.send(raw: Array("*1\r\n$2\r\n".utf8) + [0xFF, 0xFE] + Array("\r\n".utf8))
                let unknown = try await client.reply()
                #expect(unknown.errorCode == "ERR" && unknown.text?.contains("unknown command") == true, "\(unknown)")
                #expect(try await client.command("PING") == .pong)
            }
            try await server.withClient { (client) async throws in
                try await client.send(raw: "*1\r\n$x\r\n")
                #expect(try await client.reply().errorCode == "PROTO")
                #expect(await client.isClosedByServer())
            }
        }
    }

    @Test func aBrokenClientDoesNotDisturbOthers() async throws {
        try await TestServer.with { server in
            try await server.withClient { (healthy) async throws in
                #expect(try await healthy.command("PING") == .pong)
                try await server.withClient { (broken) async throws in
                    try await broken.send(raw: "*2\r\n$4\r\nECHO\r\n$-7\r\n")
                    #expect(try await broken.reply().errorCode == "PROTO")
                }
                #expect(try await healthy.command("ECHO", "still here").text == "still here")
            }
        }
    }

    @Test func tokensWorkUntilRevoked() async throws {
        try await TestServer.with { server in
            let token = try await server.withClient(token: server.adminToken) { (client) async throws in
                let reply = try await client.command("USER", "ADD", "lee", "ROLE", "leadership")
                return try #require(reply["token"]?.text)
            }
            try await server.withClient(token: token) { (client) async throws in
                #expect(try await client.command("WHOAMI")["role"]?.text == "leadership")
            }
            try await server.withClient(token: server.adminToken) { (client) async throws in
                #expect(try await client.command("USER", "REVOKE", "lee") == .integer(1))
                let users = try await client.command("USER", "LIST")
                guard case .array(let rows) = users else { throw TestEnvironmentError("USER LIST: \(users)") }
                #expect(rows.compactMap { $0["user"]?.text }.sorted() == ["admin", "lee"])
            }
            try await server.withClient { (client) async throws in
                #expect(try await client.command("AUTH", token).errorCode == "NOAUTH")
            }
        }
    }

    @Test func logTailPushesEventsAsTheyCommit() async throws {
        try await TestServer.with { server in
            try await server.withClient(token: server.adminToken) { (tail) async throws in
                #expect(try await tail.command("HELLO", "3")["proto"] == .integer(3))
                let subscribed = try await tail.command("LOG", "TAIL")
                #expect(subscribed == .array([.bulk("subscribe"), .bulk("log"), .integer(1)]))
                try await server.withClient(token: server.adminToken) { (writer) async throws in
                    for index in 0..<3 {
                        let event = #"{"type":"NoteTaken","data":{"n":\#(index)}}"#
                        _ = try await writer.command("STREAM", "APPEND", "note-tail", "any", event)
                    }
                }
                for index in 0..<3 {
                    let push = try await tail.reply()
                    guard case .push(let parts) = push, parts.count == 3 else {
                        Issue.record("expected a push, got \(push)")
                        return
                    }
                    #expect(parts[2]["position"] == .integer(Int64(index + 3)))
                    #expect(parts[2]["data"]?.text == #"{"n":\#(index)}"#)
                }
            }
        }
    }
}
