import EventLog
import Foundation
import Testing

/// The exported history's line format and its offline verification.
@Suite struct HistoryFileTests {
    /// A chained log of `count` events from position 1, with text that needs escaping.
    static func chain(_ count: Int) -> [RecordedEvent] {
        var previous = EventChain.genesisHash
        return (1...count).map { position in
            let unsigned = RecordedEvent(
                position: Int64(position),
                stream: "case-\(position % 3)",
                version: Int64(position / 3),
                id: UUID(),
                type: position.isMultiple(of: 2) ? "CaseNoteAdded" : "CaseOpened",
                data: #"{"note":"line one\nsaid \"hi\", \u00e9\u2028 ✓"}"#,
                metadata: #"{"actor":"admin"}"#,
                recordedAt: Timestamp(microsecondsSinceEpoch: 1_764_000_000_000_000 + Int64(position) * 1_234_567),
                previousHash: previous,
                hash: []
            )
            let hash = EventChain.hash(of: unsigned, after: previous)
            previous = hash
            return RecordedEvent(
                position: unsigned.position,
                stream: unsigned.stream,
                version: unsigned.version,
                id: unsigned.id,
                type: unsigned.type,
                data: unsigned.data,
                metadata: unsigned.metadata,
                recordedAt: unsigned.recordedAt,
                previousHash: unsigned.previousHash,
                hash: hash
            )
        }
    }

    @Test func aJSONLineGivesBackTheEventExactly() throws {
        for event in Self.chain(5) {
            let line = HistoryFile.jsonLine(event)
            #expect(!line.contains("\n"))
            #expect(try HistoryFile.event(fromJSONLine: line[...]) == event)
        }
    }

    @Test(arguments: ["2025-06-30T23:59:59.999999Z", "1970-01-01T00:00:00.000000Z", "2024-02-29T12:00:00.000001Z"])
    func timestampsRoundTripInTheChainsForm(text: String) throws {
        #expect(try #require(Timestamp(iso8601: text)).iso8601 == text)
    }

    @Test(arguments: ["2025-06-30T23:59:59Z", "2025-06-30 23:59:59.000000Z", "2025-02-30T00:00:00.000000Z", ""])
    func otherTimestampFormsAreRefused(text: String) {
        #expect(Timestamp(iso8601: text) == nil)
    }

    @Test func aWholeExportVerifiesAsOneRun() {
        var verifier = HistoryVerifier()
        let events = Self.chain(20)
        for event in events { #expect(verifier.verify(event) == nil) }
        #expect(verifier.verifiedCount == 20 && verifier.runs == 1)
        #expect(verifier.firstPosition == 1 && verifier.lastPosition == 20 && verifier.lastHash == events.last?.hash)
    }

    @Test func aFilteredExportVerifiesEachEventAndEachRun() {
        var verifier = HistoryVerifier()
        for event in Self.chain(20) where event.position < 5 || event.position > 12 {
            #expect(verifier.verify(event) == nil)
        }
        #expect(verifier.verifiedCount == 12 && verifier.runs == 2)
    }

    @Test func anAlteredEventIsFoundAtItsPosition() throws {
        let events = Self.chain(6)
        let line = HistoryFile.jsonLine(events[3]).replacingOccurrences(of: "said", with: "sold")
        var verifier = HistoryVerifier()
        for event in events.prefix(3) { #expect(verifier.verify(event) == nil) }
        let failure = verifier.verify(try HistoryFile.event(fromJSONLine: line[...]))
        #expect(failure?.position == 4)
        #expect(failure?.reason.contains("content does not match its hash") == true)
    }

    @Test func aFirstEventWhosePreviousHashIsNotGenesisIsRefused() {
        let events = Self.chain(2)
        let forged = RecordedEvent(
            position: 1,
            stream: events[1].stream,
            version: events[1].version,
            id: events[1].id,
            type: events[1].type,
            data: events[1].data,
            metadata: events[1].metadata,
            recordedAt: events[1].recordedAt,
            previousHash: events[0].hash,
            hash: events[1].hash
        )
        var verifier = HistoryVerifier()
        #expect(verifier.verify(forged)?.reason.contains("prev_hash") == true)
    }

    @Test(arguments: [
        (#"{"position":1}"#, "not an event line: stream is missing"),
        ("not json", "not an event line: malformed JSON (invalid literal at byte 0)"),
        (
            #"{"position":"1","stream":"s","version":0,"id":"4f1c8a52-1b0e-4c7e-9d3a-2b6f0e9c1d7a","type":"t","data":"{}","metadata":"{}","recorded_at":"r","prev_hash":"p","hash":"h"}"#,
            "not an event line: position has the wrong type"
        ),
    ])
    func malformedLinesNameWhatIsWrong(line: String, message: String) {
        #expect(throws: HistoryFileError(message)) { try HistoryFile.event(fromJSONLine: line[...]) }
    }

    @Test func csvRowsQuoteWhatNeedsQuotingAndCarryHashesAsByteaHex() {
        let event = Self.chain(1)[0]
        let row = HistoryFile.csvRow(event)
        #expect(row.hasPrefix("1,case-1,0,\(event.id.lowercasedString),CaseOpened,\"{\"\"note\"\""))
        #expect(row.hasSuffix(",\\x" + Hex.encode(event.previousHash) + ",\\x" + Hex.encode(event.hash)))
    }
}
