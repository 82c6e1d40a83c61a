import AdminProtocol
import ProtocolClient
import Testing

/// Replies as tables for people and as JSON lines and CSV for scripts.
@Suite struct ReplyTableTests {
    static let rows = RESPValue.array([
        .map(pairs: [
            (.bulk("id"), .bulk("c-1")), (.bulk("text"), .bulk("Publish the findings, \"soon\"")),
            (.bulk("days_overdue"), .integer(12)), (.bulk("themes"), .bulkArray(["trust", "youth"])),
        ]),
        .map(pairs: [
            (.bulk("id"), .bulk("c-2")), (.bulk("text"), .bulk("Hold a meeting")), (.bulk("days_overdue"), .null),
            (.bulk("themes"), .array([])),
        ]),
    ])

    @Test func aListOfMapsIsARowPerMapInJSONLinesAndCSV() {
        let table = ReplyTable(Self.rows)
        #expect(table.columns == ["id", "text", "days_overdue", "themes"])
        #expect(
            table.jsonLines() == #"""
                {"id":"c-1","text":"Publish the findings, \"soon\"","days_overdue":12,"themes":["trust","youth"]}
                {"id":"c-2","text":"Hold a meeting","days_overdue":null,"themes":[]}
                """#
        )
        #expect(
            table.csv() == """
                id,text,days_overdue,themes
                c-1,"Publish the findings, ""soon\""",12,"trust,youth"
                c-2,Hold a meeting,,
                """
        )
    }

    @Test func theTableAlignsColumnsCutsLongTextAndMarksRows() {
        let table = ReplyTable(Self.rows)
        let lines = table.aligned(width: 12) { row in row["days_overdue"] == .integer(12) }.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0] == "  ID   TEXT          DAYS_OVERDUE  THEMES")
        #expect(lines[1] == "! c-1  Publish the…  12            trust,youth")
        #expect(lines[2] == "  c-2  Hold a meet…")
    }

    @Test func aSingleValueIsOneCell() {
        #expect(ReplyTable(.simpleString("OK")).jsonLines() == #"{"value":"OK"}"#)
        #expect(ReplyTable(.bulkArray(["canvass", "survey"])).rows.count == 2)
    }
}
