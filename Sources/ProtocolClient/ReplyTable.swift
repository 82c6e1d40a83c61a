public import AdminProtocol
import Foundation

/// A reply as rows of named text cells, for people (an aligned table) and scripts (JSON lines,
/// CSV): a list of maps is a row per map, a map is one row, anything else one `value` cell.
public struct ReplyTable: Sendable, Hashable {
    /// Column names in the order first seen.
    public private(set) var columns: [String] = []
    public private(set) var rows: [[String: RESPValue]] = []

    public init(_ reply: RESPValue) {
        switch reply {
        case .array(let items) where !items.isEmpty && items.allSatisfy(Self.isRecord):
            items.forEach { add($0) }
        case .array(let items) where items.allSatisfy({ $0.scalarText != nil }):
            for item in items { add(.map([.init(.bulk("value"), item)])) }
        case .map, .array:
            add(reply)
        default:
            add(.map([.init(.bulk("value"), reply)]))
        }
    }

    /// Adds the rows of another page of the same listing.
    public mutating func append(_ other: ReplyTable) {
        for row in other.rows { add(row) }
    }

    private static func isRecord(_ value: RESPValue) -> Bool {
        if case .map = value { return true }
        return false
    }

    private mutating func add(_ record: RESPValue) {
        var row: [String: RESPValue] = [:]
        if case .map(let entries) = record {
            for entry in entries {
                let key = entry.key.scalarText ?? "?"
                row[key] = entry.value
                if !columns.contains(key) { columns.append(key) }
            }
        } else {
            row["value"] = record
            if !columns.contains("value") { columns.append("value") }
        }
        rows.append(row)
    }

    private mutating func add(_ row: [String: RESPValue]) {
        for key in row.keys.sorted() where !columns.contains(key) { columns.append(key) }
        rows.append(row)
    }

    /// One JSON object per row, one per line, keys in column order.
    public func jsonLines() -> String {
        rows.map { row in
            "{"
                + columns.compactMap { column in row[column].map { "\(Self.json(column)):\($0.json)" } }
                .joined(separator: ",") + "}"
        }.joined(separator: "\n")
    }

    /// A header row and a row per record, quoted as RFC 4180 asks.
    public func csv() -> String {
        ([columns] + rows.map { row in columns.map { row[$0]?.cellText ?? "" } })
            .map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\n")
    }

    /// An aligned table; cells cut at `width` characters, rows for which `marked` holds start with `!`.
    public func aligned(width: Int = 40, marked: ([String: RESPValue]) -> Bool = { _ in false }) -> String {
        let cells = rows.map { row in columns.map { Self.cut(row[$0]?.cellText ?? "", width) } }
        let widths = columns.indices.map { index in
            ([columns[index].count] + cells.map { $0[index].count }).max() ?? 0
        }
        func line(_ values: [String], mark: String) -> String {
            mark
                + zip(values, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        let marks = rows.map { marked($0) ? "! " : "  " }
        return ([line(columns.map { $0.uppercased() }, mark: "  ")] + zip(cells, marks).map { line($0, mark: $1) })
            .joined(separator: "\n")
    }

    private static func cut(_ text: String, _ width: Int) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count <= width ? flat : String(flat.prefix(width - 1)) + "…"
    }

    private static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func json(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension RESPValue {
    /// Text of a single value (strings, numbers, booleans, null as empty); nil for collections.
    var scalarText: String? {
        switch self {
        case .bulkString, .simpleString, .error, .verbatimString, .integer: text
        case .double(let value): String(value)
        case .boolean(let flag): flag ? "true" : "false"
        case .bigNumber(let digits): digits
        case .null: ""
        case .array, .map, .set, .push: nil
        }
    }

    /// A cell as people read it: lists joined with commas, maps as `key=value`.
    var cellText: String {
        if let scalarText { return scalarText }
        switch self {
        case .array(let items), .set(let items), .push(let items): return items.map(\.cellText).joined(separator: ",")
        case .map(let entries): return entries.map { "\($0.key.cellText)=\($0.value.cellText)" }.joined(separator: " ")
        default: return ""
        }
    }

    /// The value as JSON: numbers and booleans as such, null, lists, objects, text as strings.
    var json: String {
        switch self {
        case .integer(let value): String(value)
        case .double(let value): value.isFinite ? String(value) : ReplyTable.json(String(value))
        case .boolean(let flag): flag ? "true" : "false"
        case .null: "null"
        case .array(let items), .set(let items), .push(let items): "[" + items.map(\.json).joined(separator: ",") + "]"
        case .map(let entries):
            "{" + entries.map { ReplyTable.json($0.key.cellText) + ":" + $0.value.json }.joined(separator: ",") + "}"
        default: ReplyTable.json(scalarText ?? "")
        }
    }
}
