import Application
import EventLog
import Foundation
import Testing

@testable import AdminProtocol

/// The pub/sub logic without sockets: channel names, feeds through batches of the log, the
/// subscription set's confirmations, the message payload.
@Suite struct PubSubTests {
    static func event(_ position: LogPosition, stream: String = "case-1", type: String = "CaseNoteAdded")
        -> RecordedEvent
    {
        RecordedEvent(
            position: position,
            stream: stream,
            version: 0,
            id: UUID(uuidString: "6f1c2d3e-0000-4000-8000-000000000001")!,
            type: type,
            data: #"{"n":1}"#,
            metadata: #"{"actor":"lee"}"#,
            recordedAt: Timestamp(microsecondsSinceEpoch: 1_764_000_000_000_000),
            previousHash: [0x01, 0xff],
            hash: [0xab, 0x01]
        )
    }

    @Test func channelNamesNameTheLogOrAStreamAndAPositionToResumeAfter() throws {
        #expect(try PubSubChannel("log").scope == .log)
        #expect(try PubSubChannel("log").resumesAfter == nil)
        #expect(try PubSubChannel("log@2059").resumesAfter == 2059)
        #expect(try PubSubChannel("log@0").resumesAfter == 0)
        let stream = try PubSubChannel("stream:case-7@12")
        #expect(stream.scope == .stream(try StreamName("case-7")))
        #expect(stream.resumesAfter == 12)
        #expect(stream.name == "stream:case-7@12")
        for bad in ["logs", "log@", "log@-1", "log@x", "log@1@2", "stream:", "stream:nodash", "stream:case 7", "*"] {
            #expect(throws: CaselogError.self, "\(bad)") { try PubSubChannel(bad) }
        }
        let error = try #require(throws: CaselogError.self) { try PubSubChannel("news") }
        #expect(error.code == .invalid)
        #expect(error.field == "channel")
        #expect(error.message.contains("'news'"))
    }

    @Test func aFeedTakesEachEventOfItsChannelOnceAndMovesPastTheBatch() throws {
        var all = ChannelFeed(try PubSubChannel("log"), from: 3)
        #expect(all.take([Self.event(1), Self.event(2), Self.event(3), Self.event(4)]).map(\.position) == [3, 4])
        #expect(all.next == 5)
        #expect(all.take([Self.event(4), Self.event(5)]).map(\.position) == [5])
        #expect(all.take([]).isEmpty)
        #expect(all.next == 6)

        var one = ChannelFeed(try PubSubChannel("stream:case-2"), from: 1)
        let batch = [Self.event(1), Self.event(2, stream: "case-2"), Self.event(3), Self.event(4, stream: "case-2")]
        #expect(one.take(batch).map(\.position) == [2, 4])
        #expect(one.next == 5, "the feed moves past events of other streams too")
        #expect(ChannelFeed(try PubSubChannel("log"), from: 0).next == 1)
    }

    @Test func subscriptionsConfirmEachChannelWithTheCountAsRedisDoes() {
        var subscriptions = Subscriptions()
        let first = subscriptions.subscribe(["log", "stream:case-1", "log"])
        #expect(
            first.confirmations == [
                .push([.bulk("subscribe"), .bulk("log"), .integer(1)]),
                .push([.bulk("subscribe"), .bulk("stream:case-1"), .integer(2)]),
                .push([.bulk("subscribe"), .bulk("log"), .integer(2)]),
            ]
        )
        #expect(first.added == ["log", "stream:case-1"])
        #expect(subscriptions.subscribe(["log"]).added.isEmpty)

        let left = subscriptions.unsubscribe(["log", "log@5"])
        #expect(
            left.confirmations == [
                .push([.bulk("unsubscribe"), .bulk("log"), .integer(1)]),
                .push([.bulk("unsubscribe"), .bulk("log@5"), .integer(1)]),
            ]
        )
        #expect(left.removed == ["log"])
        #expect(
            subscriptions.unsubscribe([]).confirmations == [
                .push([.bulk("unsubscribe"), .bulk("stream:case-1"), .integer(0)])
            ]
        )
        #expect(subscriptions.isEmpty)
        #expect(subscriptions.unsubscribe([]).confirmations == [.push([.bulk("unsubscribe"), .null, .integer(0)])])
    }

    @Test func theMessagePayloadIsTheEventAsOneLineOfJSON() throws {
        let text = EventJSON.render(Self.event(42, type: "Odd \"type\"\n"))
        #expect(!text.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["position"] as? Int == 42)
        #expect(object["stream"] as? String == "case-1")
        #expect(object["version"] as? Int == 0)
        #expect(object["id"] as? String == "6f1c2d3e-0000-4000-8000-000000000001")
        #expect(object["type"] as? String == "Odd \"type\"\n")
        #expect((object["data"] as? [String: Any])?["n"] as? Int == 1)
        #expect((object["metadata"] as? [String: Any])?["actor"] as? String == "lee")
        #expect(object["recorded_at"] as? String == Timestamp(microsecondsSinceEpoch: 1_764_000_000_000_000).iso8601)
        #expect(object["prev_hash"] as? String == "01ff")
        #expect(object["hash"] as? String == "ab01")
        #expect(text.hasPrefix(#"{"position":42,"stream":"case-1","version":0,"id":"#))
    }
}
