import Foundation
import ReadModels
import Testing

@testable import AdminProtocol

/// Read-model rows are encoded into reply fields once and kept by their value, within a bound.
@Suite struct EncodedRowsTests {
    static func caseRow(_ index: Int) throws -> CaseRow {
        let document =
            #"{"id":"c\#(index)","title":"Case \#(index)","lead_org":"cbo-1","community_areas":[],"themes":["trust"],"#
            + #""status":"open","note_count":\#(index),"opened_on":"2025-05-01","reassignments":0}"#
        return try JSONDecoder().decode(CaseRow.self, from: Data(document.utf8))
    }

    @Test func keptFieldsAreTheOnesEncodingGivesAndEachRowHasItsOwn() throws {
        let rows = EncodedRows(limit: 100)
        for index in 0..<10 {
            let row = try Self.caseRow(index)
            guard case .map(let expected) = try RESPValueEncoder.encode(row) else {
                Issue.record("a row encodes to a map")
                return
            }
            #expect(rows.fields(of: row) == expected)
            #expect(rows.fields(of: row) == expected, "kept")
        }
        #expect(rows.count == 10)
    }

    @Test func noMoreThanTheLimitIsKept() throws {
        let rows = EncodedRows(limit: 8)
        for index in 0..<50 {
            _ = rows.fields(of: try Self.caseRow(index))
            #expect(rows.count <= 8)
        }
    }
}
