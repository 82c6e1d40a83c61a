import AdminProtocol
import CaselogTesting
import Foundation
import Testing

/// `SUBSCRIBE` over TCP as Redis clients see it: confirmations, `[message, channel, event-json]`,
/// resuming after a position without gaps or repeats, subscribed mode in RESP2, pushes in RESP3.
@Suite struct SubscribeTests {
    static func append(_ server: TestServer, _ streams: [String]) async throws {
        try await server.withClient(token: server.adminToken) { (writer) async throws in
            for stream in streams {
                let event = #"{"type":"NoteTaken","data":{"on":"\#(stream)"}}"#
                let appended = try await writer.command("STREAM", "APPEND", stream, "any", event)
                guard appended.errorCode == nil else { throw TestEnvironmentError("append: \(appended)") }
            }
        }
    }

    /// The channel and the event's fields of a `[message, channel, json]` reply.
    static func message(_ reply: RESPValue) throws -> (channel: String, event: [String: Any]) {
        let parts: [RESPValue]
        switch reply {
        case .array(let values), .push(let values): parts = values
        default: throw TestEnvironmentError("expected a message, got \(reply)")
        }
        guard parts.count == 3, parts[0].text == "message", let channel = parts[1].text, let json = parts[2].text,
            let event = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        else { throw TestEnvironmentError("expected a message, got \(reply)") }
        return (channel, event)
    }

    @Test func aRESP2SubscriberGetsEveryNewEventAndOnlySubscriberCommands() async throws {
        try await TestServer.with { server in
            try await server.withClient(token: server.adminToken) { (subscriber) async throws in
                let head = try await subscriber.command("LOG", "HEAD")["position"]
                #expect(
                    try await subscriber.command("SUBSCRIBE", "log") == .bulkArray(["subscribe", "log"]).appending(1)
                )
                let refused = try await subscriber.command("LOG", "HEAD")
                #expect(
                    refused
                        == .error(
                            "ERR Can't execute 'log head': only SUBSCRIBE / UNSUBSCRIBE / PING / QUIT are allowed in this context"
                        )
                )
                #expect(try await subscriber.command("PING") == .bulkArray(["pong", ""]))
                #expect(try await subscriber.command("PING", "hi") == .bulkArray(["pong", "hi"]))
                try await Self.append(server, ["note-sub", "note-sub"])
                for offset in 1...2 {
                    let (channel, event) = try Self.message(try await subscriber.reply())
                    #expect(channel == "log")
                    #expect(event["position"] as? Int64 == (head?.integer ?? 0) + Int64(offset))
                    #expect(event["stream"] as? String == "note-sub")
                    #expect(event["version"] as? Int == offset - 1)
                    #expect(event["type"] as? String == "NoteTaken")
                    #expect((event["data"] as? [String: Any])?["on"] as? String == "note-sub")
                    #expect((event["metadata"] as? [String: Any])?["actor"] as? String == "admin")
                    for field in ["id", "recorded_at", "prev_hash", "hash"] {
                        #expect(event[field] is String, "\(field)")
                    }
                }
                #expect(try await subscriber.command("UNSUBSCRIBE") == .bulkArray(["unsubscribe", "log"]).appending(0))
                #expect(try await subscriber.command("LOG", "HEAD")["position"]?.integer == (head?.integer ?? 0) + 2)
                #expect(try await subscriber.command("PING") == .simpleString("PONG"))
            }
        }
    }

    @Test func aChannelWithAPositionResumesAfterItWithoutGapsOrRepeats() async throws {
        try await TestServer.with { server in
            try await Self.append(server, ["note-a", "note-b", "note-a"])
            try await server.withClient(token: server.adminToken) { (subscriber) async throws in
                let head = try #require(try await subscriber.command("LOG", "HEAD")["position"]?.integer)
                let resume = head - 2
                try await subscriber.send(raw: "SUBSCRIBE log@\(resume) stream:note-b@0\r\n")
                #expect(try await subscriber.reply() == .bulkArray(["subscribe", "log@\(resume)"]).appending(1))
                #expect(try await subscriber.reply() == .bulkArray(["subscribe", "stream:note-b@0"]).appending(2))
                try await Self.append(server, ["note-b", "note-a"])
                var positions: [String: [Int64]] = [:]
                for _ in 0..<6 {
                    let (channel, event) = try Self.message(try await subscriber.reply())
                    positions[channel, default: []].append(try #require(event["position"] as? Int64))
                }
                #expect(positions["log@\(resume)"] == [head - 1, head, head + 1, head + 2])
                #expect(positions["stream:note-b@0"] == [head - 1, head + 1])
                try await subscriber.send(raw: "UNSUBSCRIBE\r\n")
                #expect(try await subscriber.reply() == .bulkArray(["unsubscribe", "log@\(resume)"]).appending(1))
                #expect(try await subscriber.reply() == .bulkArray(["unsubscribe", "stream:note-b@0"]).appending(0))
            }
        }
    }

    @Test func aRESP3SubscriberGetsPushesAndKeepsRunningCommands() async throws {
        try await TestServer.with { server in
            try await server.withClient(token: server.adminToken) { (subscriber) async throws in
                #expect(try await subscriber.command("HELLO", "3")["proto"] == .integer(3))
                let confirmation = try await subscriber.command("SUBSCRIBE", "stream:note-3")
                #expect(confirmation == .push([.bulk("subscribe"), .bulk("stream:note-3"), .integer(1)]))
                #expect(try await subscriber.command("PING") == .simpleString("PONG"))
                #expect(try await subscriber.command("WHOAMI")["user"]?.text == "admin")
                try await Self.append(server, ["note-other", "note-3"])
                let push = try await subscriber.reply()
                guard case .push = push else { throw TestEnvironmentError("expected a push, got \(push)") }
                let (channel, event) = try Self.message(push)
                #expect(channel == "stream:note-3")
                #expect(event["stream"] as? String == "note-3")
                #expect(
                    try await subscriber.command("UNSUBSCRIBE", "stream:note-3")
                        == .push([.bulk("unsubscribe"), .bulk("stream:note-3"), .integer(0)])
                )
            }
        }
    }

    @Test func subscribingIsForAdminsAndAuditorsOnKnownChannels() async throws {
        try await TestServer.with { server in
            let leadership = try await server.token(for: "kim", role: .leadership)
            let auditor = try await server.token(for: "lee", role: .auditor)
            try await server.withClient { (client) async throws in
                #expect(try await client.command("SUBSCRIBE", "log").errorCode == "NOAUTH")
            }
            try await server.withClient(token: leadership) { (client) async throws in
                #expect(try await client.command("SUBSCRIBE", "log").errorCode == "NOPERM")
            }
            try await server.withClient(token: auditor) { (client) async throws in
                let head = try #require(try await client.command("LOG", "HEAD")["position"]?.integer)
                let unknown = try await client.command("SUBSCRIBE", "log", "news")
                #expect(unknown.errorCode == "INVALID")
                #expect(unknown.text?.contains("channel: 'news'") == true, "\(unknown)")
                let ahead = try await client.command("SUBSCRIBE", "log@\(head + 1)")
                #expect(ahead.errorCode == "INVALID")
                #expect(try await client.command("LOG", "HEAD")["position"]?.integer == head, "nothing subscribed")
                #expect(
                    try await client.command("SUBSCRIBE", "log@\(head)")
                        == .bulkArray(["subscribe", "log@\(head)"]).appending(1)
                )
            }
        }
    }
}

extension RESPValue {
    fileprivate var integer: Int64? {
        guard case .integer(let value) = self else { return nil }
        return value
    }

    /// This array with `number` appended as an integer (a confirmation's count).
    fileprivate func appending(_ number: Int64) -> RESPValue {
        guard case .array(let values) = self else { return self }
        return .array(values + [.integer(number)])
    }
}
