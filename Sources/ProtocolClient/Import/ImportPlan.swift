import Crypto
import Foundation

/// A CSV file read into protocol commands, one per row, every row checked before anything is sent.
///
/// Headers are matched to the kind's fields by their protocol names or common synonyms, in any
/// case and with spaces or underscores alike; a column that matches none is left out (and named
/// in `ignoredColumns`). Each row's command carries an `ID`: the row's `id` column, else one derived
/// from the row's values (and how many identical rows came before it), so that importing the same
/// file again finds its entities already created and appends nothing.
public struct ImportPlan: Sendable {
    /// One row to send: the file line it starts on and its command's words.
    public struct Row: Sendable, Equatable {
        public let line: Int
        public let command: [String]
        /// The entity id the command creates.
        public let id: String
    }

    public let kind: ImportKind
    public let rows: [Row]
    /// Header names that match no field, left out of the import.
    public let ignoredColumns: [String]
    /// Every problem found, in file order; rows are sent only when there is none.
    public let problems: [ImportProblem]
    /// Which column holds each field, by the protocol's field name (for naming columns in refusals).
    public let columns: [String: String]

    /// Reads `text` as a CSV file of `kind`.
    public init(csv text: String, kind: ImportKind) {
        let records: [CSVReader.Record]
        do {
            records = try CSVReader.records(text)
        } catch {
            self.init(kind: kind, problems: [ImportProblem(line: error.line, column: nil, reason: error.reason)])
            return
        }
        guard let header = records.first else {
            self.init(kind: kind, problems: [ImportProblem(line: 1, column: nil, reason: "the file is empty")])
            return
        }
        var problems: [ImportProblem] = []
        var fieldOfColumn: [Int: ImportField] = [:]
        var columns: [String: String] = [:]
        var ignored: [String] = []
        let fields = kind.fields
        for (index, name) in header.fields.enumerated() {
            let normalized = ImportField.normalize(name)
            guard
                let field = fields.first(where: { $0.name == normalized })
                    ?? fields.first(where: { $0.synonyms.contains(normalized) })
            else {
                if !normalized.isEmpty { ignored.append(name) }
                continue
            }
            if let earlier = columns[field.name] {
                problems.append(
                    ImportProblem(
                        line: header.line,
                        column: name,
                        reason: "means \(field.name), as column '\(earlier)' does; keep one of them"
                    )
                )
                continue
            }
            columns[field.name] = name
            fieldOfColumn[index] = field
        }
        for field in fields where field.isRequired && columns[field.name] == nil {
            problems.append(
                ImportProblem(
                    line: header.line,
                    column: nil,
                    reason: "no column for \(field.name), which every row needs (a header such as \(field.name))"
                )
            )
        }
        var rows: [Row] = []
        var seen: [String: Int] = [:]
        for record in records.dropFirst() {
            guard record.fields.count == header.fields.count else {
                problems.append(
                    ImportProblem(
                        line: record.line,
                        column: nil,
                        reason: "has \(record.fields.count) fields; the header has \(header.fields.count)"
                    )
                )
                continue
            }
            var values: [String: String] = [:]
            var refused = Set<String>()
            for (index, cell) in record.fields.enumerated() {
                guard let field = fieldOfColumn[index] else { continue }
                do {
                    if let value = try field.read(cell) { values[field.name] = value }
                } catch {
                    refused.insert(field.name)
                    problems.append(
                        ImportProblem(line: record.line, column: header.fields[index], reason: error.reason)
                    )
                }
            }
            for field in fields where field.isRequired && values[field.name] == nil && !refused.contains(field.name) {
                if let column = columns[field.name] {
                    problems.append(
                        ImportProblem(
                            line: record.line,
                            column: column,
                            reason: "is empty; every row needs \(field.name)"
                        )
                    )
                }
            }
            // An `id` column names the entity itself (a file that other files refer to); else it is derived.
            let given = values.removeValue(forKey: "id")
            let words = fields.compactMap { field in values[field.name].map { [field.name.uppercased(), $0] } }.flatMap
            { $0 }
            let key = words.joined(separator: "\u{1F}")
            let occurrence = seen[key, default: 0]
            seen[key] = occurrence + 1
            let id = given ?? Self.id(kind: kind, words: words, occurrence: occurrence)
            rows.append(Row(line: record.line, command: kind.command + ["ID", id] + words, id: id))
        }
        self.init(kind: kind, rows: rows, ignoredColumns: ignored, problems: problems, columns: columns)
    }

    private init(
        kind: ImportKind,
        rows: [Row] = [],
        ignoredColumns: [String] = [],
        problems: [ImportProblem],
        columns: [String: String] = [:]
    ) {
        self.kind = kind
        self.rows = rows
        self.ignoredColumns = ignoredColumns
        self.problems = problems.sorted { $0.line < $1.line }
        self.columns = columns
    }

    /// A row's entity id: a UUID (version 8, RFC 9562) from SHA-256 of the kind, the row's
    /// values and how many identical rows came before it in the file.
    static func id(kind: ImportKind, words: [String], occurrence: Int) -> String {
        // One message, hashed at once: the prefix, then each value as `<bytes>:<value>\n`.
        var message = Array("caselog-import/1\n\(kind.rawValue)\n\(occurrence)\n".utf8)
        for word in words {
            message += String(word.utf8.count).utf8
            message.append(UInt8(ascii: ":"))
            message += word.utf8
            message.append(UInt8(ascii: "\n"))
        }
        var bytes = Array(SHA256.hash(data: message).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let uuid = UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            )
        )
        return uuid.uuidString.lowercased()
    }

    /// The rows in batches of at most `size` (all in one when nil).
    public func chunks(of size: Int?) -> [ArraySlice<Row>] {
        guard let size, size > 0, rows.count > size else { return [rows[...]] }
        return stride(from: 0, to: rows.count, by: size).map { rows[$0..<min($0 + size, rows.count)] }
    }
}

/// A row or header the import refuses: its line, the column (when it is about one) and why.
public struct ImportProblem: Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let column: String?
    public let reason: String

    public init(line: Int, column: String?, reason: String) {
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String {
        "line \(line)" + (column.map { ", column '\($0)'" } ?? "") + ": \(reason)"
    }
}
