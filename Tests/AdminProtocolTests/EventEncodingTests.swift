import EventLog
import Foundation
import NIOCore
import Testing

@testable import AdminProtocol

/// Events written straight to the wire are byte for byte the values `RESPValue.event` describes.
@Suite struct EventEncodingTests {
    static let events: [RecordedEvent] = (0..<40).map(event)

    static func event(_ index: Int) -> RecordedEvent {
        let data = index.isMultiple(of: 5) ? "{}" : #"{"note":"line \#(index) ✓ \u0007 \"quoted\"\r\n"}"#
        let previousHash: [UInt8] = (0..<32).map { UInt8(($0 * 7 + index) % 256) }
        let hash: [UInt8] = (0..<32).map { UInt8(($0 * 13 + index * 3) % 256) }
        let micros: Int64 = 1_764_000_000_000_000 + Int64(index) * 987_654_321
        return RecordedEvent(
            position: Int64(index) * 1_000_003 + 1,
            stream: index.isMultiple(of: 3) ? "case-\(index)" : "organization-cbo-\(index)",
            version: Int64(index / 2),
            id: UUID(),
            type: index.isMultiple(of: 2) ? "CaseNoteAdded" : "ActivityLogged",
            data: data,
            metadata: index.isMultiple(of: 4) ? "" : #"{"actor":"ada"}"#,
            recordedAt: Timestamp(microsecondsSinceEpoch: micros),
            previousHash: previousHash,
            hash: hash
        )
    }

    @Test(arguments: [RESPProtocolVersion.resp2, .resp3], [0, 1, 40])
    func directEncodingMatchesTheEventValues(version: RESPProtocolVersion, count: Int) {
        let events = Array(Self.events.prefix(count))
        var expected = ByteBuffer()
        RESPEncoder.encode(.array(events.map(RESPValue.event)), protocolVersion: version, into: &expected)
        var direct = ByteBuffer()
        CommandReply(events: events).encode(protocolVersion: version, into: &direct)
        #expect(direct == expected)
        #expect(CommandReply(events: events).value == .array(events.map(RESPValue.event)))
    }
}
