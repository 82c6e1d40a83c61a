/// Splits a plain SQL file into its statements, so each runs as one extended-protocol query.
///
/// Knows what may hide a `;`: comments (`--`, `/* */`, nested), quoted strings (`'…'`, `E'…'`),
/// quoted identifiers (`"…"`) and dollar-quoted bodies (`$$…$$`, `$tag$…$tag$`).
enum SQLScript {
    static func statements(in text: String) -> [String] {
        let bytes = Array(text.utf8)
        var statements: [String] = []
        var start = 0
        var index = 0
        func flush(upTo end: Int) {
            let statement = String(decoding: bytes[start..<end], as: UTF8.self)
            if !isBlank(statement) { statements.append(statement) }
        }
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: ";"):
                flush(upTo: index)
                index += 1
                start = index
            case UInt8(ascii: "-") where next(bytes, index) == UInt8(ascii: "-"):
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            case UInt8(ascii: "/") where next(bytes, index) == UInt8(ascii: "*"):
                index = skipBlockComment(bytes, from: index)
            case UInt8(ascii: "'"):
                let escapes = index > 0 && (bytes[index - 1] | 0x20) == UInt8(ascii: "e")
                index = skipQuoted(bytes, from: index, quote: UInt8(ascii: "'"), backslashEscapes: escapes)
            case UInt8(ascii: "\""):
                index = skipQuoted(bytes, from: index, quote: UInt8(ascii: "\""), backslashEscapes: false)
            case UInt8(ascii: "$"):
                index = skipDollarQuoted(bytes, from: index)
            default:
                index += 1
            }
        }
        flush(upTo: bytes.count)
        return statements
    }

    private static func next(_ bytes: [UInt8], _ index: Int) -> UInt8? {
        index + 1 < bytes.count ? bytes[index + 1] : nil
    }

    private static func skipBlockComment(_ bytes: [UInt8], from start: Int) -> Int {
        var depth = 0
        var index = start
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "/"), next(bytes, index) == UInt8(ascii: "*") {
                depth += 1
                index += 2
            } else if bytes[index] == UInt8(ascii: "*"), next(bytes, index) == UInt8(ascii: "/") {
                depth -= 1
                index += 2
                if depth == 0 { return index }
            } else {
                index += 1
            }
        }
        return index
    }

    /// Skips `'…'` or `"…"`, where a doubled quote (or a backslash, in `E'…'`) escapes.
    private static func skipQuoted(_ bytes: [UInt8], from start: Int, quote: UInt8, backslashEscapes: Bool) -> Int {
        var index = start + 1
        while index < bytes.count {
            if backslashEscapes, bytes[index] == UInt8(ascii: "\\") {
                index += 2
            } else if bytes[index] == quote {
                if next(bytes, index) == quote {
                    index += 2
                } else {
                    return index + 1
                }
            } else {
                index += 1
            }
        }
        return index
    }

    /// Skips `$tag$…$tag$`; a `$` that does not open a dollar quote (e.g. `$1`) is one byte.
    private static func skipDollarQuoted(_ bytes: [UInt8], from start: Int) -> Int {
        var end = start + 1
        while end < bytes.count, isTagByte(bytes[end]) { end += 1 }
        guard end < bytes.count, bytes[end] == UInt8(ascii: "$"),
            end == start + 1 || !isDigit(bytes[start + 1])
        else { return start + 1 }
        let tag = bytes[start...end]
        var index = end + 1
        while index + tag.count <= bytes.count {
            if bytes[index...].starts(with: tag) { return index + tag.count }
            index += 1
        }
        return bytes.count
    }

    private static func isTagByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || byte == UInt8(ascii: "_")
            || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
            || byte >= 0x80
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func isBlank(_ statement: String) -> Bool {
        statements(withoutComments: statement).allSatisfy { $0.isWhitespace }
    }

    /// The text with `--` line comments removed (enough to tell a comment-only chunk from a statement).
    private static func statements(withoutComments text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in line.range(of: "--").map { String(line[..<$0.lowerBound]) } ?? String(line) }
            .joined(separator: "\n")
    }
}
