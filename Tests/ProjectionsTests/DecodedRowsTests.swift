import Foundation
import ReadModels
import Testing

@testable import Projections

/// Stored documents are decoded once and kept by their text, within a bound.
@Suite struct DecodedRowsTests {
    static func caseDocument(_ index: Int) -> String {
        #"{"id":"c\#(index)","title":"Case \#(index)","lead_org":"cbo-1","community_areas":[],"themes":["trust"],"#
            + #""status":"open","note_count":\#(index),"opened_on":"2025-05-01","reassignments":0}"#
    }

    @Test func aKeptRowIsTheOneDecodingGivesAndEachTextHasItsOwn() throws {
        let rows = DecodedRows(limit: 100)
        let decoder = JSONDecoder()
        for index in 0..<10 {
            let document = Self.caseDocument(index)
            let decoded = try decoder.decode(CaseRow.self, from: Data(document.utf8))
            #expect(try rows.row(CaseRow.self, from: document, decoder: decoder) == decoded)
            #expect(try rows.row(CaseRow.self, from: document, decoder: decoder) == decoded, "kept")
        }
        #expect(rows.count == 10)
        #expect(throws: DecodingError.self) {
            try rows.row(CommitmentRow.self, from: Self.caseDocument(1), decoder: decoder)
        }
    }

    @Test func noMoreThanTheLimitIsKept() throws {
        let rows = DecodedRows(limit: 8)
        for index in 0..<50 {
            _ = try rows.row(CaseRow.self, from: Self.caseDocument(index), decoder: JSONDecoder())
            #expect(rows.count <= 8)
        }
    }
}
