/// RFC 8785 JSON Canonicalization Scheme (JCS) over JSON text.
///
/// Input is parsed strictly (RFC 8259 plus I-JSON's duplicate-key rule) and re-serialized canonically.
public enum CanonicalJSON {
    /// Returns the RFC 8785 canonical form of `text`, rejecting invalid JSON and containers nested deeper than `maxDepth`.
    public static func canonicalize(_ text: String, maxDepth: Int = 64) throws(CanonicalJSONError) -> String {
        String(decoding: try canonicalBytes(text, maxDepth: maxDepth, requireObject: false), as: UTF8.self)
    }

    /// Like `canonicalize(_:maxDepth:)`, but the top-level value must be a JSON object.
    public static func canonicalizeObject(_ text: String, maxDepth: Int = 64) throws(CanonicalJSONError) -> String {
        String(decoding: try canonicalBytes(text, maxDepth: maxDepth, requireObject: true), as: UTF8.self)
    }

    /// Canonicalizes UTF-8 encoded JSON (invalid UTF-8 is rejected) and returns canonical UTF-8.
    public static func canonicalize(utf8 json: [UInt8], maxDepth: Int = 64) throws(CanonicalJSONError) -> [UInt8] {
        try json.withUnsafeBufferPointer { run($0, maxDepth: maxDepth, requireObject: false) }.get()
    }

    /// Like `canonicalize(utf8:maxDepth:)`, but the top-level value must be a JSON object.
    public static func canonicalizeObject(utf8 json: [UInt8], maxDepth: Int = 64) throws(CanonicalJSONError) -> [UInt8]
    {
        try json.withUnsafeBufferPointer { run($0, maxDepth: maxDepth, requireObject: true) }.get()
    }

    /// The canonical text of a flat object of strings and nulls (an event's metadata, say),
    /// written directly rather than parsed.
    public static func object(_ fields: [String: String?]) -> String {
        var out: [UInt8] = [UInt8(ascii: "{")]
        for key in fields.keys.sorted(by: { $0.utf16.lexicographicallyPrecedes($1.utf16) }) {
            if out.count > 1 { out.append(UInt8(ascii: ",")) }
            JSONParser.appendEscaped(Array(key.utf8)[...], to: &out)
            out.append(UInt8(ascii: ":"))
            if let value = fields[key] ?? nil {
                JSONParser.appendEscaped(Array(value.utf8)[...], to: &out)
            } else {
                out.append(contentsOf: "null".utf8)
            }
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// The members of the JSON object `text`, each value in canonical form, parsed once: what a
    /// request's fields hold without decoding them into Foundation objects.
    public static func members(ofObject text: String, maxDepth: Int = 64) throws(CanonicalJSONError)
        -> [String: JSONMember]
    {
        var text = text
        return try text.withUTF8 { input in
            Result { () throws(CanonicalJSONError) -> [String: JSONMember] in
                var parser = JSONParser(input: input, maxDepth: maxDepth)
                try parser.parseDocument()
                let root = parser.nodes[0]
                guard root.kind == .object else { throw CanonicalJSONError(.notAnObject, at: nil) }
                var members: [String: JSONMember] = [:]
                for keyNode in parser.order[(root.b + 1)..<(root.b + 1 + parser.order[root.b])] {
                    let key = parser.nodes[keyNode]
                    let value = parser.nodes[keyNode + 1]
                    let isString = value.kind == .string
                    members[String(decoding: parser.strings[key.a..<key.b], as: UTF8.self)] = JSONMember(
                        kind: JSONMember.Kind(value.kind),
                        text: isString
                            ? nil : String(decoding: parser.serialize(from: keyNode + 1), as: UTF8.self),
                        string: isString ? String(decoding: parser.strings[value.a..<value.b], as: UTF8.self) : nil
                    )
                }
                return members
            }
        }.get()
    }

    /// The canonical text of an object whose member values are canonical JSON texts already.
    public static func object(canonicalMembers members: [String: String]) -> String {
        let keys = members.keys.sorted(by: { $0.utf16.lexicographicallyPrecedes($1.utf16) })
        return "{" + keys.map { quoted($0) + ":" + (members[$0] ?? "null") }.joined(separator: ",") + "}"
    }

    /// `text` as a JSON string literal, quoted and escaped as in canonical form.
    public static func quoted(_ text: String) -> String {
        var out: [UInt8] = []
        JSONParser.appendEscaped(Array(text.utf8)[...], to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// True when `text` is valid JSON that is already byte-for-byte in canonical form.
    public static func isCanonical(_ text: String) -> Bool {
        guard let canonical = try? canonicalize(text) else { return false }
        return canonical.utf8.elementsEqual(text.utf8)
    }

    private static func canonicalBytes(
        _ text: String,
        maxDepth: Int,
        requireObject: Bool
    ) throws(CanonicalJSONError) -> [UInt8] {
        var text = text
        return try text.withUTF8 { run($0, maxDepth: maxDepth, requireObject: requireObject) }.get()
    }

    private static func run(
        _ input: UnsafeBufferPointer<UInt8>,
        maxDepth: Int,
        requireObject: Bool
    ) -> Result<[UInt8], CanonicalJSONError> {
        Result { () throws(CanonicalJSONError) in
            var parser = JSONParser(input: input, maxDepth: maxDepth)
            try parser.parseDocument()
            if requireObject && parser.nodes[0].kind != .object {
                throw CanonicalJSONError(.notAnObject, at: nil)
            }
            return parser.serialize()
        }
    }
}

/// Why canonicalization failed, with the zero-based byte offset into the UTF-8 input where known.
public struct CanonicalJSONError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The kind of problem found in the input.
    ///
    /// Associated values carry the offending byte, the decoded duplicate key, or the depth limit.
    public enum Reason: Equatable, Sendable {
        case unexpectedEndOfInput
        case unexpectedCharacter(UInt8)
        case trailingCharacters
        case invalidLiteral
        case invalidNumber
        case numberOutOfRange
        case invalidEscape
        case loneSurrogate
        case controlCharacterInString(UInt8)
        case invalidUTF8
        case duplicateKey(String)
        case nestingTooDeep(limit: Int)
        case notAnObject
    }

    /// The kind of problem.
    public let reason: Reason
    /// Zero-based byte offset into the UTF-8 input, or nil when the problem has no single position.
    public let offset: Int?

    init(_ reason: Reason, at offset: Int?) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String {
        let what: String
        switch reason {
        case .unexpectedEndOfInput: what = "unexpected end of input"
        case .unexpectedCharacter(let byte) where byte > 0x20 && byte < 0x7F:
            what = "unexpected character '\(Character(Unicode.Scalar(byte)))'"
        case .unexpectedCharacter(let byte): what = "unexpected byte \(hex(byte))"
        case .trailingCharacters: what = "trailing characters after JSON value"
        case .invalidLiteral: what = "invalid literal"
        case .invalidNumber: what = "invalid number"
        case .numberOutOfRange: what = "number out of IEEE-754 double range"
        case .invalidEscape: what = "invalid escape sequence"
        case .loneSurrogate: what = "lone surrogate in \\u escape"
        case .controlCharacterInString(let byte): what = "unescaped control character \(hex(byte)) in string"
        case .invalidUTF8: what = "invalid UTF-8"
        case .duplicateKey(let key):
            var quoted: [UInt8] = []
            JSONParser.appendEscaped(Array(key.utf8)[...], to: &quoted)
            what = "duplicate key \(String(decoding: quoted, as: UTF8.self))"
        case .nestingTooDeep(let limit): what = "nesting deeper than \(limit) levels"
        case .notAnObject: what = "not a JSON object"
        }
        guard let offset else { return what }
        return "\(what) at byte \(offset)"
    }

    private func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return byte < 0x10 ? "0x0\(digits)" : "0x\(digits)"
    }
}

/// One parsed value. Containers are stored in pre-order; `a` is the index just past the subtree.
/// One member's value of a parsed JSON object: its kind, its canonical text, and for a string
/// its decoded text.
public struct JSONMember: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case null, boolean, number, string, array, object

        init(_ kind: JSONNode.Kind) {
            switch kind {
            case .null: self = .null
            case .false, .true: self = .boolean
            case .number: self = .number
            case .string: self = .string
            case .array: self = .array
            case .object: self = .object
            }
        }
    }

    public let kind: Kind
    /// The canonical text of a value other than a string.
    private let text: String?
    public let string: String?

    init(kind: Kind, text: String?, string: String?) {
        self.kind = kind
        self.text = text
        self.string = string
    }

    /// The value's canonical text (a string's is quoted and escaped only when asked for).
    public var canonical: String { text ?? CanonicalJSON.quoted(string ?? "") }
}

struct JSONNode {
    enum Kind: UInt8 { case null, `false`, `true`, number, string, array, object }
    var kind: Kind
    /// string: start in `strings`; number: index in `numbers`; array/object: subtree end.
    var a: Int
    /// string: end in `strings`; object: position of its member list in `order`.
    var b: Int
}

/// Strict, iterative (no recursion) RFC 8259 parser that records values for canonical re-serialization.
struct JSONParser {
    private struct Frame { var node: Int; var count: Int; var keyBase: Int }
    private struct Key { var node: Int; var offset: Int; var text: Range<Int> }

    let input: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var pos = 0
    var nodes: [JSONNode] = []
    /// Decoded (unescaped) UTF-8 contents of all strings.
    var strings: [UInt8] = []
    var numbers: [Double] = []
    /// For each object: member count, then its key nodes in canonical (UTF-16) order.
    var order: [Int] = []
    private var frames: [Frame] = []
    private var keys: [Key] = []

    init(input: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.input = input
        self.maxDepth = maxDepth
        nodes.reserveCapacity(input.count / 4 + 1)
        strings.reserveCapacity(input.count)
    }

    mutating func parseDocument() throws(CanonicalJSONError) {
        skipWhitespace()
        try parseValue()
        while let top = frames.last {
            let isObject = nodes[top.node].kind == .object
            skipWhitespace()
            let byte = try peek()
            if byte == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                pos += 1
                try closeContainer()
                continue
            }
            if top.count > 0 {
                guard byte == UInt8(ascii: ",") else { throw CanonicalJSONError(.unexpectedCharacter(byte), at: pos) }
                pos += 1
                skipWhitespace()
            }
            frames[frames.count - 1].count += 1
            if isObject {
                let quote = try peek()
                guard quote == UInt8(ascii: "\"") else {
                    throw CanonicalJSONError(.unexpectedCharacter(quote), at: pos)
                }
                let offset = pos
                try parseString()
                let key = nodes[nodes.count - 1]
                keys.append(Key(node: nodes.count - 1, offset: offset, text: key.a..<key.b))
                skipWhitespace()
                let colon = try peek()
                guard colon == UInt8(ascii: ":") else { throw CanonicalJSONError(.unexpectedCharacter(colon), at: pos) }
                pos += 1
                skipWhitespace()
            }
            try parseValue()
        }
        skipWhitespace()
        if pos < input.count { throw CanonicalJSONError(.trailingCharacters, at: pos) }
    }

    private func peek() throws(CanonicalJSONError) -> UInt8 {
        guard pos < input.count else { throw CanonicalJSONError(.unexpectedEndOfInput, at: pos) }
        return input[pos]
    }

    private mutating func skipWhitespace() {
        while pos < input.count {
            switch input[pos] {
            case 0x20, 0x09, 0x0A, 0x0D: pos += 1
            default: return
            }
        }
    }

    private mutating func parseValue() throws(CanonicalJSONError) {
        let byte = try peek()
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard frames.count < maxDepth else { throw CanonicalJSONError(.nestingTooDeep(limit: maxDepth), at: pos) }
            frames.append(Frame(node: nodes.count, count: 0, keyBase: keys.count))
            nodes.append(JSONNode(kind: byte == UInt8(ascii: "{") ? .object : .array, a: 0, b: 0))
            pos += 1
        case UInt8(ascii: "\""): try parseString()
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."):
            try parseNumber()
        case UInt8(ascii: "t"): try parseLiteral("true", .true)
        case UInt8(ascii: "f"): try parseLiteral("false", .false)
        case UInt8(ascii: "n"): try parseLiteral("null", .null)
        default: throw CanonicalJSONError(.unexpectedCharacter(byte), at: pos)
        }
    }

    private mutating func parseLiteral(_ word: StaticString, _ kind: JSONNode.Kind) throws(CanonicalJSONError) {
        let length = word.utf8CodeUnitCount
        guard input.count - pos >= length, (0..<length).allSatisfy({ input[pos + $0] == word.utf8Start[$0] }) else {
            throw CanonicalJSONError(.invalidLiteral, at: pos)
        }
        pos += length
        nodes.append(JSONNode(kind: kind, a: 0, b: 0))
    }

    /// Ends the innermost container; for objects, sorts the keys and rejects duplicates.
    private mutating func closeContainer() throws(CanonicalJSONError) {
        let frame = frames.removeLast()
        nodes[frame.node].a = nodes.count
        guard nodes[frame.node].kind == .object else { return }
        nodes[frame.node].b = order.count
        order.append(keys.count - frame.keyBase)
        try Self.sortKeys(&keys[frame.keyBase...], text: strings)
        order.append(contentsOf: keys[frame.keyBase...].lazy.map(\.node))
        keys.removeSubrange(frame.keyBase...)
    }

    private static func sortKeys(_ keys: inout ArraySlice<Key>, text: [UInt8]) throws(CanonicalJSONError) {
        try text.withUnsafeBufferPointer { (text) throws(CanonicalJSONError) in
            keys.sort { utf16Precedes(text, $0.text, $1.text) }
            for (previous, current) in zip(keys, keys.dropFirst())
            where text[previous.text].elementsEqual(text[current.text]) {
                let key = String(decoding: UnsafeBufferPointer(rebasing: text[current.text]), as: UTF8.self)
                throw CanonicalJSONError(.duplicateKey(key), at: max(previous.offset, current.offset))
            }
        }
    }

    /// Orders UTF-8 strings by their UTF-16 code units (RFC 8785 §3.2.3).
    ///
    /// UTF-8 byte order is code-point order; U+E000–U+FFFF (lead bytes EE/EF) must sort after supplementary planes.
    static func utf16Precedes(_ text: UnsafeBufferPointer<UInt8>, _ lhs: Range<Int>, _ rhs: Range<Int>) -> Bool {
        var i = lhs.lowerBound, j = rhs.lowerBound
        while i < lhs.upperBound && j < rhs.upperBound {
            let x = text[i], y = text[j]
            if x != y {
                func rank(_ byte: UInt8) -> UInt8 { byte == 0xEE || byte == 0xEF ? byte &+ 0x10 : byte }
                return rank(x) < rank(y)
            }
            i += 1
            j += 1
        }
        return lhs.count < rhs.count
    }

    private mutating func parseString() throws(CanonicalJSONError) {
        pos += 1
        let start = strings.count
        var run = pos
        while true {
            guard pos < input.count else { throw CanonicalJSONError(.unexpectedEndOfInput, at: pos) }
            let byte = input[pos]
            if byte >= 0x20 && byte < 0x80 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                pos += 1
            } else if byte >= 0x80 {
                try skipUTF8Sequence()
            } else {
                strings.append(contentsOf: UnsafeBufferPointer(rebasing: input[run..<pos]))
                if byte == UInt8(ascii: "\"") {
                    pos += 1
                    break
                }
                guard byte == UInt8(ascii: "\\") else {
                    throw CanonicalJSONError(.controlCharacterInString(byte), at: pos)
                }
                try parseEscape()
                run = pos
            }
        }
        nodes.append(JSONNode(kind: .string, a: start, b: strings.count))
    }

    /// Validates one multi-byte UTF-8 sequence (Unicode Table 3-7: no overlongs, surrogates, or > U+10FFFF).
    private mutating func skipUTF8Sequence() throws(CanonicalJSONError) {
        guard let length = Self.utf8SequenceLength(in: input, at: pos) else {
            throw CanonicalJSONError(.invalidUTF8, at: pos)
        }
        pos += length
    }

    /// The length of the valid multi-byte UTF-8 sequence at `pos` of `input` (Unicode Table 3-7:
    /// no overlongs, surrogates, or > U+10FFFF); nil when there is none.
    static func utf8SequenceLength(in input: UnsafeBufferPointer<UInt8>, at pos: Int) -> Int? {
        let lead = input[pos]
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        let continuations: Int
        switch lead {
        case 0xC2...0xDF: continuations = 1
        case 0xE0: continuations = 2; low = 0xA0
        case 0xED: continuations = 2; high = 0x9F
        case 0xE1...0xEF: continuations = 2
        case 0xF0: continuations = 3; low = 0x90
        case 0xF4: continuations = 3; high = 0x8F
        case 0xF1...0xF3: continuations = 3
        default: return nil
        }
        guard pos + continuations < input.count, input[pos + 1] >= low, input[pos + 1] <= high,
            (2..<continuations + 1).allSatisfy({ input[pos + $0] & 0xC0 == 0x80 })
        else { return nil }
        return continuations + 1
    }

    private mutating func parseEscape() throws(CanonicalJSONError) {
        let start = pos
        guard pos + 1 < input.count else { throw CanonicalJSONError(.unexpectedEndOfInput, at: input.count) }
        let escaped = input[pos + 1]
        pos += 2
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): strings.append(escaped)
        case UInt8(ascii: "b"): strings.append(0x08)
        case UInt8(ascii: "f"): strings.append(0x0C)
        case UInt8(ascii: "n"): strings.append(0x0A)
        case UInt8(ascii: "r"): strings.append(0x0D)
        case UInt8(ascii: "t"): strings.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4(escapeStart: start)
            if scalar >= 0xDC00 && scalar <= 0xDFFF { throw CanonicalJSONError(.loneSurrogate, at: start) }
            if scalar >= 0xD800 && scalar <= 0xDBFF {
                guard pos + 1 < input.count, input[pos] == UInt8(ascii: "\\"), input[pos + 1] == UInt8(ascii: "u")
                else {
                    throw CanonicalJSONError(.loneSurrogate, at: start)
                }
                pos += 2
                let trail = try hex4(escapeStart: pos - 2)
                guard trail >= 0xDC00 && trail <= 0xDFFF else { throw CanonicalJSONError(.loneSurrogate, at: start) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (trail - 0xDC00)
            }
            appendUTF8(scalar)
        default: throw CanonicalJSONError(.invalidEscape, at: start)
        }
    }

    private mutating func hex4(escapeStart: Int) throws(CanonicalJSONError) -> UInt32 {
        guard pos + 4 <= input.count else { throw CanonicalJSONError(.invalidEscape, at: escapeStart) }
        var value: UInt32 = 0
        for byte in input[pos..<pos + 4] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw CanonicalJSONError(.invalidEscape, at: escapeStart)
            }
            value = value << 4 | UInt32(digit)
        }
        pos += 4
        return value
    }

    private mutating func appendUTF8(_ scalar: UInt32) {
        if let scalar = Unicode.Scalar(scalar), let encoded = UTF8.encode(scalar) {
            strings.append(contentsOf: encoded)
        }
    }

    /// Writes the canonical form of the parsed document, or of the value at node `root` and what
    /// it holds (iteratively, so depth costs no stack).
    func serialize(from root: Int = 0) -> [UInt8] {
        struct Cursor { var next: Int; let start: Int; let end: Int; let isObject: Bool }
        var out: [UInt8] = []
        out.reserveCapacity(root == 0 ? input.count : 64)
        var cursors: [Cursor] = []
        var current = root
        while true {
            let node = nodes[current]
            switch node.kind {
            case .null: out.append(contentsOf: "null".utf8)
            case .true: out.append(contentsOf: "true".utf8)
            case .false: out.append(contentsOf: "false".utf8)
            case .number: Self.appendNumber(numbers[node.a], to: &out)
            case .string: Self.appendEscaped(strings[node.a..<node.b], to: &out)
            case .array:
                out.append(UInt8(ascii: "["))
                cursors.append(Cursor(next: current + 1, start: current + 1, end: node.a, isObject: false))
            case .object:
                out.append(UInt8(ascii: "{"))
                let first = node.b + 1
                cursors.append(Cursor(next: first, start: first, end: first + order[node.b], isObject: true))
            }
            var advanced = false
            while let cursor = cursors.last {
                if cursor.next == cursor.end {
                    out.append(cursor.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
                    cursors.removeLast()
                    continue
                }
                if cursor.next != cursor.start { out.append(UInt8(ascii: ",")) }
                if cursor.isObject {
                    let key = nodes[order[cursor.next]]
                    Self.appendEscaped(strings[key.a..<key.b], to: &out)
                    out.append(UInt8(ascii: ":"))
                    current = order[cursor.next] + 1
                    cursors[cursors.count - 1].next += 1
                } else {
                    current = cursor.next
                    let child = nodes[current]
                    cursors[cursors.count - 1].next =
                        child.kind == .array || child.kind == .object ? child.a : current + 1
                }
                advanced = true
                break
            }
            if !advanced { return out }
        }
    }

    /// Appends bytes in memory as a JSON string the way ECMAScript's JSON.stringify escapes them:
    /// runs that need no escape (almost all of an event's data) are found eight bytes at a time
    /// and copied whole. An export writes every stored payload this way.
    static func appendEscaped(_ text: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        let bytes = text.assumingMemoryBound(to: UInt8.self)
        out.append(UInt8(ascii: "\""))
        var run = 0
        var index = 0
        while index < bytes.count {
            if index + 8 <= bytes.count, !mayNeedEscape(text.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
                index += 8
                continue
            }
            let byte = bytes[index]
            index += 1
            guard needsEscape(byte) else { continue }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<(index - 1)]))
            appendEscape(of: byte, to: &out)
            run = index
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run...]))
        out.append(UInt8(ascii: "\""))
    }

    /// Whether any of the eight bytes of `word` may be a control character, a quote or a
    /// backslash (never false when one is).
    private static func mayNeedEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
        let backslash = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
        let below0x20 = (word &- ones &* 0x20) & ~word
        let zeroQuote = (quote &- ones) & ~quote
        let zeroBackslash = (backslash &- ones) & ~backslash
        return (below0x20 | zeroQuote | zeroBackslash) & 0x8080_8080_8080_8080 != 0
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// The escape of one byte that `needsEscape`.
    private static func appendEscape(of byte: UInt8, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
        case 0x08: out.append(UInt8(ascii: "b"))
        case 0x0C: out.append(UInt8(ascii: "f"))
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "t"))
        default:
            let hexDigits: StaticString = "0123456789abcdef"
            out.append(contentsOf: "u00".utf8)
            out.append(hexDigits.utf8Start[Int(byte >> 4)])
            out.append(hexDigits.utf8Start[Int(byte & 0x0F)])
        }
    }

    /// Appends `text` as a JSON string the way ECMAScript's JSON.stringify escapes it.
    static func appendEscaped<Text: Collection<UInt8>>(_ text: Text, to out: inout [UInt8]) {
        let escaped: Void? = text.withContiguousStorageIfAvailable {
            appendEscaped(UnsafeRawBufferPointer($0), to: &out)
        }
        if escaped == nil { Array(text).withUnsafeBytes { appendEscaped($0, to: &out) } }
    }
}
