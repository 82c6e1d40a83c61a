import Foundation
import Testing

@testable import ProtocolClient

/// CSV files read into protocol commands without a server: the RFC 4180 reader, header names as
/// coordinators write them, values converted, every bad row named by line and column.
@Suite struct ImportPlanTests {
    static let examples = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appending(path: "docs/examples")

    @Test func theReaderFollowsRFC4180AndSaysWhereEachRecordStarts() throws {
        let text = "\u{FEFF}a,b,c\r\n1,\"two, with comma\",3\r\n\n\"multi\nline\",\"say \"\"hi\"\"\",\r\nlast,,\"\""
        let records = try CSVReader.records(text)
        #expect(
            records == [
                .init(line: 1, fields: ["a", "b", "c"]),
                .init(line: 2, fields: ["1", "two, with comma", "3"]),
                .init(line: 4, fields: ["multi\nline", "say \"hi\"", ""]),
                .init(line: 6, fields: ["last", "", ""]),
            ]
        )
        let written = ["Pilsen: ¿Cómo llamar?", "e\u{301}t\u{E9}", "警察 🚓", "\u{2028}sep", "tab\there"]
        let quoted = written.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        #expect(
            try CSVReader.records(written.joined(separator: ",") + "\n" + quoted.joined(separator: ","))
                == [.init(line: 1, fields: written), .init(line: 2, fields: written)],
            "text beyond ASCII, plain or quoted, is read as written"
        )
        #expect(throws: CSVReader.Malformed(line: 2, reason: "a quoted field is not closed")) {
            try CSVReader.records("a\n\"open\n")
        }
        #expect(throws: CSVReader.Malformed.self) { try CSVReader.records("a,b\nx\"y,z\n") }
        #expect(throws: CSVReader.Malformed.self) { try CSVReader.records("a,b\n\"x\"y,z\n") }
    }

    @Test func aRowsIDIsTheSameInEveryVersionOfTheImport() {
        // A re-run appends nothing only while ids are derived exactly as before: this one was
        // derived when ids were first made (SHA-256 of the message, version 8).
        let words = ["ORG", "cbo-1", "KIND", "canvass", "SUMMARY", "Café — 警察"]
        #expect(ImportPlan.id(kind: .activities, words: words, occurrence: 2) == "f745523e-42a9-8a49-9598-7cae542ad7b7")
    }

    @Test func coordinatorsHeadersAndValuesBecomeTheProtocolsFields() throws {
        let text = try String(contentsOf: Self.examples.appending(path: "activities.csv"), encoding: .utf8)
        let plan = ImportPlan(csv: text, kind: .activities)
        #expect(plan.problems.isEmpty, "\(plan.problems)")
        #expect(plan.rows.map(\.line) == [2, 3, 4, 5, 6])
        let first = try #require(plan.rows.first)
        #expect(
            first.command == [
                "ACTIVITY", "LOG", "ID", first.id, "ORG", "cbo-1", "KIND", "listening-session", "OCCURRED_ON",
                "2025-05-01", "COMMUNITY_AREA", "30", "POLICE_DISTRICT", "10", "ATTENDANCE", "42", "LANGUAGES",
                "English,Spanish", "THEMES", "Alternate response,Trust", "SUMMARY",
                "Residents asked who answers behavioral-health calls at night",
            ]
        )
        #expect(
            plan.rows.map { $0.command[9] } == ["2025-05-01", "2025-05-03", "2025-05-07", "2025-05-12", "2025-05-20"]
        )
        #expect(plan.columns["community_area"] == "Community Area" && plan.columns["attendance"] == "Attendees")
        #expect(UUID(uuidString: first.id) != nil && Set(plan.rows.map(\.id)).count == 5)
    }

    @Test func everyBadRowIsReportedWithItsLineAndColumn() {
        let text = """
            org,KIND,occurred on,community_area,attendance,Staff initials
            cbo-one,canvass,13/45/2025,Nowhere,many,AB
            cbo-one,parade,2025-05-01,30,12,CD
            cbo-one,canvass,2025-05-01
            cbo-one,canvass,,30,,EF
            """
        let plan = ImportPlan(csv: text, kind: .activities)
        #expect(plan.ignoredColumns == ["Staff initials"])
        #expect(
            plan.problems.map(\.description) == [
                "line 2, column 'occurred on': '13/45/2025' is not a date; write 2025-05-01 or 5/1/2025",
                "line 2, column 'community_area': 'Nowhere' is not a community area; give its number (1-77) or name",
                "line 2, column 'attendance': 'many' is not a whole number of 0 or more",
                "line 3, column 'KIND': must be one of listening-session, survey, focus-group, community-meeting, canvass, training, other",
                "line 4: has 3 fields; the header has 6",
                "line 5, column 'occurred on': is empty; every row needs occurred_on",
                "line 5, column 'attendance': is empty; every row needs attendance",
            ]
        )
    }

    @Test func aMissingOrDoubledColumnIsAProblemOfTheHeader() {
        let plan = ImportPlan(csv: "Date,Activity Date,kind\n2025-05-01,2025-05-01,canvass\n", kind: .activities)
        #expect(
            plan.problems.map(\.description) == [
                "line 1, column 'Activity Date': means occurred_on, as column 'Date' does; keep one of them",
                "line 1: no column for attendance, which every row needs (a header such as attendance)",
            ]
        )
    }

    /// Ids come from the row's values, and identical rows get ids of their own, so that a re-run
    /// of the same file makes the same commands.
    @Test func rowIdsAreDerivedFromTheRowsValuesAndStable() {
        let text = "kind,occurred_on,attendance\ncanvass,2025-05-01,3\ncanvass,2025-05-01,3\ncanvass,5/1/2025,4\n"
        let plan = ImportPlan(csv: text, kind: .activities)
        let again = ImportPlan(csv: text.replacingOccurrences(of: "5/1/2025", with: "2025-05-01"), kind: .activities)
        #expect(plan.rows.map(\.id) == again.rows.map(\.id))
        #expect(Set(plan.rows.map(\.id)).count == 3)
        #expect(plan.chunks(of: 2).map(\.count) == [2, 1] && plan.chunks(of: nil).map(\.count) == [3])
    }

    @Test func usDatesAsCoordinatorsWriteThem() {
        let dates = ["5/1/2025", "05/01/2025", "5/1/25", "5-1-2025", "2025-05-01", "May 1, 2025", "1 May 2025"]
        #expect(dates.map { USDate.parse($0)?.description } == Array(repeating: "2025-05-01", count: dates.count))
        #expect(["2/30/2025", "13/1/2025", "yesterday", "5/1"].allSatisfy { USDate.parse($0) == nil })
    }

    @Test func serverRefusalsNameTheColumnTheirFieldCameFrom() {
        let plan = ImportPlan(csv: "Topics,kind,Date,attendance\nnope,canvass,2025-05-01,3\n", kind: .activities)
        let importer = CSVImport(plan: plan, chunkSize: nil)
        let row = plan.rows[0]
        #expect(
            importer.problem(row, "INVALID index 0: themes: 'nope' is not in the theme vocabulary", fromExec: true)
                == ImportProblem(line: 2, column: "Topics", reason: "'nope' is not in the theme vocabulary")
        )
        #expect(
            importer.problem(row, "NOTFOUND org: cbo-nine is not registered", fromExec: false)
                == ImportProblem(line: 2, column: nil, reason: "NOTFOUND org: cbo-nine is not registered")
        )
    }
}
