import AdminProtocol
import EventLog
import Foundation
import NIOCore
import Testing

@testable import ProtocolClient

/// An export reads `LOG READ` pages from their bytes into the same lines the events make.
@Suite struct LogReadPageTests {
    static let events: [RecordedEvent] = (1...25).map(event)

    static func event(_ position: Int) -> RecordedEvent {
        let data = #"{"note":"line, \"\#(position)\"\n✓ \u0001"}"#
        let previousHash: [UInt8] = (0..<32).map { UInt8(($0 + position) % 256) }
        let hash: [UInt8] = (0..<32).map { UInt8(($0 * 3 + position) % 256) }
        let micros: Int64 = 1_764_000_000_000_000 + Int64(position) * 1_234_567
        return RecordedEvent(
            position: Int64(position),
            stream: "case-\(position % 4)",
            version: Int64(position / 4),
            id: UUID(),
            type: position.isMultiple(of: 2) ? "CaseNoteAdded" : "CaseOpened",
            data: data,
            metadata: position.isMultiple(of: 5) ? "" : #"{"actor":"ada"}"#,
            recordedAt: Timestamp(microsecondsSinceEpoch: micros),
            previousHash: previousHash,
            hash: hash
        )
    }

    static func lines(of reply: ByteBuffer) throws -> (json: [String], csv: [String]) {
        var json: [String] = []
        var csv: [String] = []
        try LogReadPage.forEachEvent(in: reply) { event in
            var line: [UInt8] = []
            HistoryFile.appendJSONLine(event, to: &line)
            json.append(String(decoding: line, as: UTF8.self))
            line = []
            HistoryFile.appendCSVRow(event, to: &line)
            csv.append(String(decoding: line, as: UTF8.self))
        }
        return (json, csv)
    }

    @Test func aReplyThatEndsBeforeTheEventsItAnnouncesIsRefused() {
        var reply = ByteBuffer(string: "*2\r\n")
        var whole = ByteBuffer()
        RESPEncoder.encodeEvents([Self.events[0]], protocolVersion: .resp3, into: &whole)
        whole.moveReaderIndex(forwardBy: 4)
        reply.writeBuffer(&whole)
        #expect(throws: HistoryExportError.self) { try Self.lines(of: reply) }
    }

    @Test(arguments: [RESPProtocolVersion.resp2, .resp3])
    func eachEventBecomesTheLineOfTheEventItself(version: RESPProtocolVersion) throws {
        var reply = ByteBuffer()
        RESPEncoder.encodeEvents(Self.events, protocolVersion: version, into: &reply)
        let (json, csv) = try Self.lines(of: reply)
        #expect(json == Self.events.map(HistoryFile.jsonLine))
        #expect(csv == Self.events.map(HistoryFile.csvRow))
        #expect(try json.map { try HistoryFile.event(fromJSONLine: $0[...]) } == Self.events)
    }

    @Test func fieldsInAnotherOrderAreReadByName() throws {
        let event = Self.events[2]
        guard case .map(let entries) = RESPValue.event(event) else { Issue.record("not a map"); return }
        var reply = ByteBuffer()
        RESPEncoder.encode(.array([.map(entries.reversed())]), protocolVersion: .resp3, into: &reply)
        #expect(try Self.lines(of: reply).json == [HistoryFile.jsonLine(event)])
    }

    @Test func anErrorReplyIsTheServersRefusal() {
        #expect(throws: ServerRefusal("NOPERM auditors only")) {
            try Self.lines(of: ByteBuffer(string: "-NOPERM auditors only\r\n"))
        }
    }

    @Test(arguments: [
        "*1\r\n+OK\r\n",
        "*1\r\n%1\r\n$8\r\nposition\r\n:1\r\n",
        "*1\r\n%1\r\n$5\r\nother\r\n$1\r\nx\r\n",
        "*2\r\n%0\r\n",
        "*1\r\n%1\r\n$8\r\nposition\r",
    ])
    func aReplyThatIsNotAPageOfEventsIsRefused(text: String) {
        #expect(throws: HistoryExportError.self) { try Self.lines(of: ByteBuffer(string: text)) }
    }
}
