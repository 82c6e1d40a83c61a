import EventLog
import Foundation
import Testing

@Suite struct ChainVerifierTests {
    /// A correctly chained log of `count` events.
    static func chain(_ count: Int) -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        var previous = EventChain.genesisHash
        for position in 1...Int64(count) {
            let unhashed = event(position, previous: previous, hash: [])
            let hash = EventChain.hash(of: unhashed, after: previous)
            events.append(event(position, previous: previous, hash: hash))
            previous = hash
        }
        return events
    }

    static func event(
        _ position: Int64,
        previous: [UInt8],
        hash: [UInt8],
        data: String? = nil
    ) -> RecordedEvent {
        RecordedEvent(
            position: position,
            stream: "case-\(position % 3)",
            version: position / 3,
            id: UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", position))!,
            type: "CaseNoteAdded",
            data: data ?? #"{"note":"n\#(position) ✓"}"#,
            metadata: "{}",
            recordedAt: Timestamp(microsecondsSinceEpoch: 1_732_509_182_000_000 + position),
            previousHash: previous,
            hash: hash
        )
    }

    @Test func canonicalBytesAreTheDocumentedLines() {
        let event = Self.chain(1)[0]
        let text = String(decoding: EventChain.canonicalBytes(of: event), as: UTF8.self)
        #expect(
            text == """
                caselog-event/1
                1
                case-1
                0
                00000000-0000-4000-8000-000000000001
                CaseNoteAdded
                2024-11-25T04:33:02.000001Z
                {"note":"n1 ✓"}
                {}
                """
        )
    }

    @Test func anIntactChainVerifies() {
        var verifier = ChainVerifier()
        for event in Self.chain(50) { #expect(verifier.verify(event) == nil) }
        #expect(verifier.verifiedCount == 50)
        #expect(verifier.verifyEnd(at: LogHead(position: 50, hash: Self.chain(50)[49].hash)) == nil)
    }

    @Test func alteredContentIsCaughtAtItsPosition() {
        var events = Self.chain(10)
        let original = events[6]
        events[6] = Self.event(7, previous: original.previousHash, hash: original.hash, data: #"{"note":"edited"}"#)
        #expect(Self.firstFailure(events)?.position == 7)
    }

    @Test func aMissingEventIsCaughtAtItsPosition() {
        var events = Self.chain(10)
        events.remove(at: 3)
        let failure = Self.firstFailure(events)
        #expect(failure?.position == 4)
        #expect(failure?.reason.hasPrefix("missing") == true)
    }

    @Test func aRewrittenTailWithoutItsHeadIsCaught() {
        let events = Self.chain(5)
        var verifier = ChainVerifier()
        for event in events.prefix(4) { _ = verifier.verify(event) }
        #expect(verifier.verifyEnd(at: LogHead(position: 5, hash: events[4].hash))?.position == 5)
    }

    static func firstFailure(_ events: [RecordedEvent]) -> ChainVerifier.Failure? {
        var verifier = ChainVerifier()
        for event in events {
            if let failure = verifier.verify(event) { return failure }
        }
        return nil
    }
}
