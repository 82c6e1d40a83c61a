import Application
import Domain
import EventLog
import Foundation
import Testing

@Suite struct CaselogErrorTests {
    @Test func theCodesAreExactlyTheProtocolsDocumentedWords() {
        #expect(
            CaselogError.Code.all.map(\.rawValue) == [
                "ERR", "PROTO", "NOAUTH", "NOPERM", "INVALID", "NOTFOUND", "WRONGVERSION", "CONFLICT", "TOOLARGE",
                "UNAVAILABLE",
            ]
        )
        #expect(Set(CaselogError.Code.all).count == CaselogError.Code.all.count)
    }

    @Test func theReadmeListsEveryCode() throws {
        let readme = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        for code in CaselogError.Code.all {
            #expect(text.contains("`\(code.rawValue)`"), "README.md does not list \(code)")
        }
    }

    @Test func everyEventLogCodeMapsOntoTheSameWord() {
        let codes: [EventLogError.Code] = [
            .invalid, .wrongVersion, .conflict, .tooLarge, .notFound, .unavailable, .internal,
        ]
        for code in codes {
            let error = CaselogError(EventLogError(code, "stream: is wrong"))
            #expect(error.code.rawValue == code.rawValue)
            #expect(error.description == "\(code.rawValue) stream: is wrong")
            #expect(error.field == "stream")
        }
        #expect(CaselogError(EventLogError(.init(rawValue: "ODD"), "what")).code == .err)
    }

    @Test func everyDomainCodeMapsOntoTheSameWord() {
        let refusals: [DomainError] = [
            .invalid("due_on", "must be a date"), .notFound("case", "does not exist"),
            .noPermission("owner_org", "not yours"), .conflict("id", "exists"),
        ]
        for refusal in refusals {
            let error = CaselogError.from(refusal)
            #expect(error.code.rawValue == refusal.code.rawValue)
            #expect(error.description == refusal.description)
            #expect(error.field == String(refusal.field))
        }
    }

    @Test func aMessageWithoutAFieldHasNone() {
        #expect(CaselogError.syntax("unknown command 'x'").field == nil)
        #expect(CaselogError.invalid("limit", "must be a number").field == "limit")
        #expect(CaselogError.from(CocoaError(.fileNoSuchFile)).description == "ERR the command failed unexpectedly")
    }
}
