/// A reader of comma-separated values as RFC 4180 writes them, which says on which line each
/// record starts (a quoted field may hold line breaks), so that problems can be reported by line.
///
/// Fields are separated by commas and records by CRLF or LF; a field in double quotes may hold
/// commas, line breaks and doubled quotes (`""` for `"`). A UTF-8 byte order mark is skipped, and
/// blank lines are left out.
public struct CSVReader: Sendable {
    /// One record: its fields, and the line of the file it starts on (1 for the first).
    public struct Record: Sendable, Equatable {
        public let line: Int
        public let fields: [String]

        public init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }
    }

    /// Text that is not well-formed CSV, and the line where reading stopped.
    public struct Malformed: Error, Sendable, Equatable, CustomStringConvertible {
        public let line: Int
        public let reason: String

        public var description: String { "line \(line): \(reason)" }
    }

    /// Every record of `text`, in order.
    public static func records(_ text: String) throws(Malformed) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        // The field being read, as UTF-8: one string is made of it when the field ends.
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var wasQuoted = false
        var scalars = text.unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
        }
        func endRecord() {
            endField()
            if fields != [""] { records.append(Record(line: recordLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
        }

        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            index = scalars.index(after: index)
            if inQuotes {
                if scalar == "\"" {
                    if index < scalars.endIndex, scalars[index] == "\"" {
                        field.append(UInt8(ascii: "\""))
                        index = scalars.index(after: index)
                    } else {
                        inQuotes = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.append(contentsOf: scalar.utf8)
                }
                continue
            }
            switch scalar {
            case ",":
                endField()
            case "\r" where index < scalars.endIndex && scalars[index] == "\n":
                break
            case "\n", "\r":
                endRecord()
                line += 1
                recordLine = line
            case "\"":
                guard field.isEmpty, !wasQuoted else {
                    throw Malformed(
                        line: line,
                        reason: "a quote inside an unquoted field; quote the whole field and double the quote"
                    )
                }
                inQuotes = true
                wasQuoted = true
            default:
                guard !wasQuoted else {
                    throw Malformed(line: line, reason: "text after a quoted field's closing quote")
                }
                field.append(contentsOf: scalar.utf8)
            }
        }
        guard !inQuotes else { throw Malformed(line: recordLine, reason: "a quoted field is not closed") }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { endRecord() }
        return records
    }
}
