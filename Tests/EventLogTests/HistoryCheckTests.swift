import Foundation
import Testing

@testable import EventLog

/// `HistoryCheck`, the whole-file check of an exported history, against the line-by-line check
/// (`HistoryFile.event(fromJSONLine:)` then `HistoryVerifier`), on whole, filtered and damaged files.
@Suite struct HistoryCheckTests {
    /// A chained log whose texts need every kind of escape, and some that need none.
    static func chain(_ count: Int) -> [RecordedEvent] {
        let texts = [
            #"{"note":"line one\nsaid \"hi\", \u00e9\u2028 ✓"}"#, #"{"a":1}"#,
            "tab\there, slash / back \\ \u{01}\u{1F}",
            #"{"emoji":"😀","cjk":"漢字"}"#,
        ]
        var previous = EventChain.genesisHash
        return (1...count).map { position in
            func event(hash: [UInt8]) -> RecordedEvent {
                RecordedEvent(
                    position: Int64(position),
                    stream: "case-\(position % 3)",
                    version: Int64(position / 3),
                    id: UUID(),
                    type: position.isMultiple(of: 2) ? "CaseNoteAdded" : "CaseOpened",
                    data: texts[position % texts.count],
                    metadata: position.isMultiple(of: 5) ? #"{"actor":"ada \"the\" admin"}"# : "{}",
                    recordedAt: Timestamp(microsecondsSinceEpoch: 1_764_000_000_000_000 + Int64(position) * 1_234_567),
                    previousHash: previous,
                    hash: hash
                )
            }
            let unhashed = event(hash: [])
            previous = EventChain.hash(of: unhashed, after: previous)
            return replacing(unhashed, previousHash: unhashed.previousHash, hash: previous)
        }
    }

    static func replacing(
        _ event: RecordedEvent,
        data: String? = nil,
        previousHash: [UInt8]? = nil,
        hash: [UInt8]? = nil
    ) -> RecordedEvent {
        RecordedEvent(
            position: event.position,
            stream: event.stream,
            version: event.version,
            id: event.id,
            type: event.type,
            data: data ?? event.data,
            metadata: event.metadata,
            recordedAt: event.recordedAt,
            previousHash: previousHash ?? event.previousHash,
            hash: hash ?? event.hash
        )
    }

    /// The same event as another JSON writer might put it: keys in reverse order, with spaces.
    static func otherForm(_ event: RecordedEvent) -> String {
        let q = CanonicalJSON.quoted
        return "{ \"version\": \(event.version), \"type\": \(q(event.type)), \"stream\": \(q(event.stream)), "
            + "\"recorded_at\": \(q(event.recordedAt.iso8601)), \"prev_hash\": \(q(Hex.encode(event.previousHash))), "
            + "\"position\": \(event.position), \"metadata\": \(q(event.metadata)), "
            + "\"id\": \(q(event.id.uuidString)), \"hash\": \(q(Hex.encode(event.hash))), \"data\": \(q(event.data)) }"
    }

    /// How a line is written in a file.
    enum Form: CaseIterable {
        case exporter, other, mixed

        func line(_ event: RecordedEvent, at index: Int) -> String {
            switch self {
            case .exporter: HistoryFile.jsonLine(event)
            case .other: HistoryCheckTests.otherForm(event)
            case .mixed: index.isMultiple(of: 2) ? HistoryFile.jsonLine(event) : HistoryCheckTests.otherForm(event)
            }
        }
    }

    /// A way to damage a file at one index of its events.
    enum Damage: CaseIterable {
        case none, alteredData, wrongPreviousHash, missing, swappedWithNext, impossibleDate, cutShort, uppercaseHex

        func lines(_ events: [RecordedEvent], at index: Int, form: Form) -> [String] {
            var events = events
            switch self {
            case .alteredData: events[index] = replacing(events[index], data: events[index].data + " ")
            case .wrongPreviousHash: events[index] = replacing(events[index], previousHash: events[index].hash)
            case .missing: events.remove(at: index)
            case .swappedWithNext where index + 1 < events.count: events.swapAt(index, index + 1)
            default: break
            }
            var lines = events.enumerated().map { form.line($1, at: $0) }
            guard index < lines.count else { return lines }
            let event = events[index]
            switch self {
            case .impossibleDate:
                lines[index] = lines[index].replacingOccurrences(
                    of: event.recordedAt.iso8601,
                    with: "2025-02-30" + event.recordedAt.iso8601.dropFirst(10)
                )
            case .cutShort: lines[index] = String(lines[index].dropLast(3))
            case .uppercaseHex:
                let hash = Hex.encode(event.hash)
                lines[index] = lines[index].replacingOccurrences(of: hash, with: hash.uppercased())
            default: break
            }
            return lines
        }
    }

    /// What `caselog verify --file` prints for the verdict.
    static func describe(_ verdict: HistoryCheck.Verdict) -> String {
        switch verdict {
        case .broken(let line, let reason): return "broken at line \(line): \(reason)"
        case .intact(let verifier):
            guard let first = verifier.firstPosition, let last = verifier.lastPosition else { return "no events" }
            return "intact: \(verifier.verifiedCount) events, positions \(first)–\(last) in \(verifier.runs) runs, "
                + "last hash \(Hex.encode(verifier.lastHash))"
        }
    }

    static func check(_ text: String, parts: Int) -> String {
        Array(text.utf8).withUnsafeBytes { describe(HistoryCheck.verify(jsonLines: $0, parts: parts)) }
    }

    /// The same file checked one line after another.
    static func lineByLine(_ text: String) -> String {
        var verifier = HistoryVerifier()
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.isEmpty {
            do {
                if let failure = verifier.verify(try HistoryFile.event(fromJSONLine: line)) {
                    return "broken at line \(index + 1): \(failure)"
                }
            } catch {
                return "broken at line \(index + 1): \(error)"
            }
        }
        return describe(.intact(verifier))
    }

    static func file(_ lines: [String]) -> String { lines.map { $0 + "\n" }.joined() }

    @Test(arguments: Form.allCases, Damage.allCases)
    func theVerdictIsTheLineByLineOneWhereverTheDamageAndHoweverTheFileIsCut(form: Form, damage: Damage) {
        let events = Self.chain(12)
        for index in events.indices {
            let text = Self.file(damage.lines(events, at: index, form: form))
            let expected = Self.lineByLine(text)
            for parts in [1, 2, 3, 5, 12, 40] {
                #expect(Self.check(text, parts: parts) == expected, "damage at index \(index), \(parts) parts")
            }
        }
    }

    @Test func exporterLinesReadTheSameOnTheFastPathAndThroughTheJSONReader() {
        let events = Self.chain(20)
        var reader = HistoryLineReader()
        for (index, event) in events.enumerated() {
            for damage in [Damage.none, .alteredData, .wrongPreviousHash, .uppercaseHex] {
                let line = damage.lines(events, at: index, form: .exporter)[index]
                Array(line.utf8).withUnsafeBufferPointer { line in
                    let fast = reader.readExporterForm(line)
                    #expect(fast != nil)
                    #expect(fast == HistoryLineReader.readAnyForm(line))
                }
            }
            let reading = Array(HistoryFile.jsonLine(event).utf8).withUnsafeBufferPointer { reader.read($0) }
            #expect(reading == .link(ChainLink(event), contentHolds: true))
            Array(Self.otherForm(event).utf8).withUnsafeBufferPointer { line in
                #expect(reader.readExporterForm(line) == nil)
                #expect(HistoryLineReader.readAnyForm(line) == reading)
            }
        }
    }

    @Test func damageInTheSecondHalfIsReportedAtItsLineWithTodaysReason() {
        let events = Self.chain(40)
        func verdict(_ damage: Damage, at index: Int) -> String {
            Self.check(Self.file(damage.lines(events, at: index, form: .exporter)), parts: 2)
        }
        #expect(
            verdict(.alteredData, at: 30)
                == "broken at line 31: position 31: content does not match its hash (altered or swapped)"
        )
        #expect(
            verdict(.wrongPreviousHash, at: 30)
                == "broken at line 31: position 31: prev_hash does not match the hash of the event before it"
        )
        #expect(
            verdict(.swappedWithNext, at: 30) == "broken at line 32: position 31: out of order: follows position 32"
        )
        #expect(
            verdict(.impossibleDate, at: 30)
                == "broken at line 31: recorded_at: not in the form YYYY-MM-DDTHH:MM:SS.ffffffZ"
        )
        #expect(verdict(.cutShort, at: 35).hasPrefix("broken at line 36: not an event line: malformed JSON ("))
        #expect(verdict(.missing, at: 30).hasPrefix("intact: 39 events, positions 1–40 in 2 runs"))
    }

    @Test func theEarliestDamageIsReportedWhenALaterPartFailsToo() {
        var lines = Damage.alteredData.lines(Self.chain(40), at: 35, form: .exporter)
        lines[9] = String(lines[9].dropLast())
        lines.insert("", at: 3)
        let text = Self.file(lines)
        #expect(Self.check(text, parts: 2).hasPrefix("broken at line 11: not an event line: malformed JSON ("))
        #expect(Self.check(text, parts: 2) == Self.lineByLine(text))
    }

    @Test func aFilteredExportIsIntactRunByRun() {
        // Positions 1–3, 10–13, 20–23, 30–33 and 40: five runs.
        let events = Self.chain(40).filter { $0.position % 10 < 4 }
        let text = Self.file(events.map(HistoryFile.jsonLine))
        let expected =
            "intact: 16 events, positions 1–40 in 5 runs, last hash \(Hex.encode(events[events.count - 1].hash))"
        for parts in [1, 2, 3, 16] { #expect(Self.check(text, parts: parts) == expected) }
    }

    @Test(arguments: ["", "\n", "\n\n\n"])
    func aFileWithNoEventsHasNoEvents(text: String) {
        #expect(Self.check(text, parts: 2) == "no events")
    }

    @Test func aLastLineWithoutALineBreakCounts() {
        let events = Self.chain(6)
        let text = events.map(HistoryFile.jsonLine).joined(separator: "\n")
        #expect(Self.check(text, parts: 2).hasPrefix("intact: 6 events, positions 1–6 in 1 runs"))
    }
}
