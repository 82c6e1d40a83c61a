import EventLog
import TestSupport
import Testing

@Suite struct CanonicalJSONTests {
    // MARK: Numbers

    @Test(arguments: [
        ("0", "0"), ("-0", "0"), ("-0.0", "0"), ("0e10", "0"), ("1e21", "1e+21"), ("1E+21", "1e+21"),
        ("1e-7", "1e-7"), ("123456789012345680000", "123456789012345680000"), ("0.000001", "0.000001"),
        ("1e-6", "0.000001"), ("0.0000001", "1e-7"), ("4.5", "4.5"), ("4.50", "4.5"), ("2e-3", "0.002"),
        ("100.0", "100"), ("1.0e2", "100"), ("-1.5e-7", "-1.5e-7"), ("1e20", "100000000000000000000"),
        ("123e-2", "1.23"), ("9007199254740993", "9007199254740992"), ("333333333.33333329", "333333333.3333333"),
        ("1E30", "1e+30"), ("0.000000000000000000000000001", "1e-27"), ("-12345", "-12345"),
        ("1e-400", "0"), ("123456789012345678901234567890", "1.2345678901234568e+29"),
    ])
    func numberSerialization(input: String, expected: String) throws {
        #expect(try CanonicalJSON.canonicalize(input) == expected)
    }

    /// RFC 8785 Appendix B: IEEE-754 bit patterns and their canonical text.
    @Test(
        arguments: [
            (0x0000_0000_0000_0000, "0"), (0x8000_0000_0000_0000, "0"), (0x0000_0000_0000_0001, "5e-324"),
            (0x8000_0000_0000_0001, "-5e-324"), (0x7FEF_FFFF_FFFF_FFFF, "1.7976931348623157e+308"),
            (0xFFEF_FFFF_FFFF_FFFF, "-1.7976931348623157e+308"), (0x4340_0000_0000_0000, "9007199254740992"),
            (0xC340_0000_0000_0000, "-9007199254740992"), (0x4430_0000_0000_0000, "295147905179352830000"),
            (0x44B5_2D02_C7E1_4AF5, "9.999999999999997e+22"), (0x44B5_2D02_C7E1_4AF6, "1e+23"),
            (0x44B5_2D02_C7E1_4AF7, "1.0000000000000001e+23"), (0x444B_1AE4_D6E2_EF4E, "999999999999999700000"),
            (0x444B_1AE4_D6E2_EF4F, "999999999999999900000"), (0x444B_1AE4_D6E2_EF50, "1e+21"),
            (0x3EB0_C6F7_A0B5_ED8C, "9.999999999999997e-7"), (0x3EB0_C6F7_A0B5_ED8D, "0.000001"),
            (0x41B3_DE43_5555_5553, "333333333.3333332"), (0x41B3_DE43_5555_5554, "333333333.33333325"),
            (0x41B3_DE43_5555_5555, "333333333.3333333"), (0x41B3_DE43_5555_5556, "333333333.3333334"),
            (0x41B3_DE43_5555_5557, "333333333.33333343"), (0xBECB_F647_612F_3696, "-0.0000033333333333333333"),
            (0x4314_3FF3_C1CB_0959, "1424953923781206.2"),
        ] as [(UInt64, String)]
    )
    func appendixBNumbers(bits: UInt64, expected: String) throws {
        let value = Double(bitPattern: bits)
        #expect(try CanonicalJSON.canonicalize(value.description) == expected)
        #expect(try CanonicalJSON.canonicalize("[\(expected)]") == "[\(expected)]")
    }

    @Test func randomDoublesRoundTripWithShortestDigits() throws {
        var rng = SplitMix64(seed: 0x5EED_0001)
        for _ in 0..<5000 {
            let value = Double(bitPattern: rng.next())
            guard value.isFinite, value != 0 else { continue }
            let text = try CanonicalJSON.canonicalize(value.description)
            #expect(Double(text) == value, "\(value) -> \(text)")
            let exponential = value.magnitude >= 1e21 || value.magnitude < 1e-6
            #expect(text.contains("e") == exponential, "\(text)")
            #expect(!text.hasSuffix(".0") && !text.contains("e+0") && !text.contains("e-0"), "\(text)")
            #expect(significantDigits(text) == significantDigits(value.description), "\(value) -> \(text)")
        }
    }

    // MARK: Strings, keys, structure

    @Test func flatObjectsAreWrittenCanonically() throws {
        let fields: [String: String?] = [
            "b": "quote \" backslash \\ newline \n tab \t bell \u{07}", "a": nil, "\u{20ac}": "€", "\u{1F600}": "😀",
            "A": "",
        ]
        let text = CanonicalJSON.object(fields)
        #expect(CanonicalJSON.isCanonical(text), "\(text)")
        #expect(text.hasPrefix(#"{"A":"","a":null,"b":"quote \" backslash \\ newline \n tab \t bell \u0007""#))
        #expect(CanonicalJSON.object([:]) == "{}")
    }

    @Test func anObjectsMembersComeCanonicalFromOneParse() throws {
        let members = try CanonicalJSON.members(
            ofObject: #"{ "type": "Note\u0054aken", "data": {"b": 1.0, "a": [true, null, "x"]}, "n": 1e2 }"#
        )
        #expect(members["type"]?.kind == .string && members["type"]?.canonical == #""NoteTaken""#)
        #expect(members["type"]?.string == "NoteTaken")
        #expect(members["data"]?.kind == .object)
        #expect(members["data"]?.canonical == #"{"a":[true,null,"x"],"b":1}"#)
        #expect(members["n"]?.canonical == "100" && members["n"]?.string == nil)
        #expect(throws: CanonicalJSONError.self) { try CanonicalJSON.members(ofObject: "[1]") }
        #expect(throws: CanonicalJSONError.self) { try CanonicalJSON.members(ofObject: #"{"a":1,"a":2}"#) }
        #expect(
            CanonicalJSON.object(canonicalMembers: ["b": "[1]", "a": #""x""#, "é": "null"])
                == #"{"a":"x","b":[1],"é":null}"#
        )
    }

    @Test func rfc8785SortingExample() throws {
        let input = #"""
            {"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One",
             "\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}
            """#
        let expected =
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\","
            + "\"\u{F6}\":\"Latin Small Letter O With Diaeresis\",\"\u{20AC}\":\"Euro Sign\","
            + "\"\u{1F600}\":\"Emoji: Grinning Face\",\"\u{FB33}\":\"Hebrew Letter Dalet With Dagesh\"}"
        #expect(try CanonicalJSON.canonicalize(input) == expected)
    }

    @Test func rfc8785MainExample() throws {
        let input = #"""
            {
              "numbers": [333333333.33333329, 1E30, 4.50,
                          2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """#
        let expected =
            #"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"#
            + #""string":"€$\u000f\nA'B\"\\\\\"/"}"#
        #expect(try CanonicalJSON.canonicalizeObject(input) == expected)
    }

    @Test func supplementaryKeysSortBeforeUpperBMP() throws {
        let input = #"{"\ufb33":1,"\ud83d\ude00":2,"\ue000":3,"\ud7ff":4,"\uffff":5,"\udbff\udfff":6}"#
        let expected = "{\"\u{D7FF}\":4,\"\u{1F600}\":2,\"\u{10FFFF}\":6,\"\u{E000}\":3,\"\u{FB33}\":1,\"\u{FFFF}\":5}"
        #expect(try CanonicalJSON.canonicalize(input) == expected)
    }

    @Test func stringEscaping() throws {
        let input =
            #"["\u0000\u0007\b\t\n\u000b\f\r\u001F", "\"\\\/", "\u007f\u00e9\u2028\u2029", "é/😀", "\uD83D\uDE00"]"#
        let expected =
            "[\"\\u0000\\u0007\\b\\t\\n\\u000b\\f\\r\\u001f\",\"\\\"\\\\/\","
            + "\"\u{7F}\u{E9}\u{2028}\u{2029}\",\"é/😀\",\"😀\"]"
        #expect(try CanonicalJSON.canonicalize(input) == expected)
    }

    @Test func whitespaceAndNesting() throws {
        let input =
            " \n\t{ \"b\" : [ 1 , { \"z\" : null , \"a\" : [ ] } , { } ] ,\r\n \"a\" : { \"y\" : true , \"x\" : false } } \n"
        let expected = #"{"a":{"x":false,"y":true},"b":[1,{"a":[],"z":null},{}]}"#
        let canonical = try CanonicalJSON.canonicalize(input)
        #expect(canonical == expected)
        #expect(try CanonicalJSON.canonicalize(canonical) == canonical)
        #expect(CanonicalJSON.isCanonical(canonical))
        #expect(!CanonicalJSON.isCanonical(input))
        #expect(!CanonicalJSON.isCanonical("{"))
    }

    @Test(arguments: ["null", "true", "false", "\"\"", "[]", "{}", "-1", "[[[]]]", #"{"":{"":[""]}}"#])
    func scalarsAndEmptyContainersAreCanonical(text: String) throws {
        #expect(try CanonicalJSON.canonicalize(text) == text)
    }

    @Test func deepNestingIsIterative() throws {
        let depth = 100_000
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(try CanonicalJSON.canonicalize(text, maxDepth: depth) == text)
    }

    @Test func depthLimitIsInclusive() throws {
        let nested = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(try CanonicalJSON.canonicalize(nested) == nested)
        #expect(try CanonicalJSON.canonicalize("1", maxDepth: 0) == "1")
    }

    @Test func utf8Variant() throws {
        let bytes = Array(#"{ "b": 1, "a": "\u00e9" }"#.utf8)
        #expect(try CanonicalJSON.canonicalize(utf8: bytes) == Array(#"{"a":"é","b":1}"#.utf8))
        #expect(try CanonicalJSON.canonicalizeObject(utf8: Array("{}".utf8)) == Array("{}".utf8))
    }

    // MARK: Rejections

    @Test(arguments: [
        ("", "unexpected end of input at byte 0"),
        ("  ", "unexpected end of input at byte 2"),
        (#"{"a":1} x"#, "trailing characters after JSON value at byte 8"),
        ("[1] [2]", "trailing characters after JSON value at byte 4"),
        (#"{"a":1,"b":2,"a":3}"#, #"duplicate key "a" at byte 13"#),
        (#"{"a":1,"\u0061":2}"#, #"duplicate key "a" at byte 7"#),
        (#"[{"x":{"\n":1,"\u000a":2}}]"#, #"duplicate key "\n" at byte 14"#),
        (#""\x""#, "invalid escape sequence at byte 1"),
        (#""\u12G4""#, "invalid escape sequence at byte 1"),
        (#""\u12""#, "invalid escape sequence at byte 1"),
        (#""\ud800""#, "lone surrogate in \\u escape at byte 1"),
        (#""\udc00\ud800""#, "lone surrogate in \\u escape at byte 1"),
        (#""ab\ud800\u0041""#, "lone surrogate in \\u escape at byte 3"),
        ("\"a\nb\"", "unescaped control character 0x0A in string at byte 2"),
        ("\"\t\"", "unescaped control character 0x09 in string at byte 1"),
        ("\"abc", "unexpected end of input at byte 4"),
        ("01", "invalid number at byte 0"),
        ("-01", "invalid number at byte 0"),
        ("+1", "invalid number at byte 0"),
        (".5", "invalid number at byte 0"),
        ("1.", "invalid number at byte 0"),
        ("1.e5", "invalid number at byte 0"),
        ("-", "invalid number at byte 0"),
        ("1e", "invalid number at byte 0"),
        ("1e+", "invalid number at byte 0"),
        ("1.2.3", "invalid number at byte 0"),
        ("[1,01]", "invalid number at byte 3"),
        ("NaN", "unexpected character 'N' at byte 0"),
        ("Infinity", "unexpected character 'I' at byte 0"),
        ("-Infinity", "invalid number at byte 0"),
        ("1E400", "number out of IEEE-754 double range at byte 0"),
        ("[-1e309]", "number out of IEEE-754 double range at byte 1"),
        ("tru", "invalid literal at byte 0"),
        ("nul", "invalid literal at byte 0"),
        ("[1,]", "unexpected character ']' at byte 3"),
        ("[1 2]", "unexpected character '2' at byte 3"),
        (#"{"a" 1}"#, "unexpected character '1' at byte 5"),
        ("{'a':1}", "unexpected character ''' at byte 1"),
        ("{1:2}", "unexpected character '1' at byte 1"),
        (#"{"a":1,}"#, "unexpected character '}' at byte 7"),
        ("[", "unexpected end of input at byte 1"),
        ("\u{FEFF}{}", "unexpected byte 0xEF at byte 0"),
        ("\u{0B}1", "unexpected byte 0x0B at byte 0"),
        (
            String(repeating: "[", count: 65) + String(repeating: "]", count: 65),
            "nesting deeper than 64 levels at byte 64"
        ),
    ])
    func rejects(input: String, message: String) {
        let error = #expect(throws: CanonicalJSONError.self) { try CanonicalJSON.canonicalize(input) }
        #expect(error?.description == message)
    }

    @Test func rejectsNonObjectTopLevel() throws {
        for text in ["[1]", "1", "\"x\"", "null"] {
            let error = #expect(throws: CanonicalJSONError.self) { try CanonicalJSON.canonicalizeObject(text) }
            #expect(error?.reason == .notAnObject)
            #expect(error?.offset == nil)
            #expect(error?.description == "not a JSON object")
        }
        #expect(try CanonicalJSON.canonicalizeObject(#" {"b":[],"a":0} "#) == #"{"a":0,"b":[]}"#)
        let nested = #expect(throws: CanonicalJSONError.self) {
            try CanonicalJSON.canonicalize("[[1]]", maxDepth: 1)
        }
        #expect(nested?.reason == .nestingTooDeep(limit: 1))
        #expect(nested?.offset == 1)
    }

    @Test(
        arguments: [
            ([0x22, 0xC3, 0x28, 0x22], "invalid UTF-8 at byte 1"),
            ([0x22, 0x61, 0xC0, 0x80, 0x22], "invalid UTF-8 at byte 2"),
            ([0x22, 0xE0, 0x80, 0x80, 0x22], "invalid UTF-8 at byte 1"),
            ([0x22, 0xED, 0xA0, 0x80, 0x22], "invalid UTF-8 at byte 1"),
            ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], "invalid UTF-8 at byte 1"),
            ([0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], "invalid UTF-8 at byte 1"),
            ([0x22, 0xE2, 0x82, 0x22], "invalid UTF-8 at byte 1"),
            ([0x22, 0xF0, 0x9F, 0x98], "invalid UTF-8 at byte 1"),
            ([0x22, 0x80, 0x22], "invalid UTF-8 at byte 1"),
        ] as [([UInt8], String)]
    )
    func rejectsInvalidUTF8(bytes: [UInt8], message: String) {
        let error = #expect(throws: CanonicalJSONError.self) { try CanonicalJSON.canonicalize(utf8: bytes) }
        #expect(error?.description == message)
    }

    // MARK: Randomized round trip

    @Test func randomizedRoundTrip() throws {
        var rng = SplitMix64(seed: 8785)
        for iteration in 0..<400 {
            let value = Value.random(depth: 0, using: &rng)
            let canonical = value.canonical()
            let noisy = value.noisy(using: &rng)
            #expect(try CanonicalJSON.canonicalize(noisy) == canonical, "iteration \(iteration): \(noisy)")
            #expect(try CanonicalJSON.canonicalize(canonical) == canonical)
            #expect(CanonicalJSON.isCanonical(canonical))
        }
    }

    @Test func largePayload() throws {
        var rng = SplitMix64(seed: 42)
        var members: [String] = []
        var size = 0
        var index = 0
        while size < 1 << 20 {
            let member =
                "\"k\(index)\": { \"text\": \"\(String(repeating: "é\\n", count: Int(rng.next() % 40)))\", "
                + "\"n\": \(Double(Int64(bitPattern: rng.next())) / 1e9), \"list\": [1, 2.5, true, null] }"
            members.append(member)
            size += member.utf8.count
            index += 1
        }
        members.shuffle(using: &rng)
        let canonical = try CanonicalJSON.canonicalizeObject("{ " + members.joined(separator: ",\n ") + " }")
        #expect(CanonicalJSON.isCanonical(canonical))
        #expect(canonical.hasPrefix(#"{"k0":{"list":[1,2.5,true,null],"n":"#))
    }
}

private func significantDigits(_ text: String) -> String {
    let mantissa = text.split(separator: "e")[0].filter { $0 != "-" && $0 != "." }
    return String(mantissa.drop { $0 == "0" }.reversed().drop { $0 == "0" }.reversed())
}

/// A JSON value model with an independent reference canonicalizer and a noisy (valid, non-canonical) writer.
private indirect enum Value {
    case null, bool(Bool), integer(Int), decimal(spellings: [String], canonical: String)
    case string(String), array([Value]), object([(String, Value)])

    static let decimals: [([String], String)] = [
        (["4.5", "4.50", "45e-1", "0.45E1"], "4.5"), (["1e21", "1E+21", "10e20"], "1e+21"),
        (["0.000001", "1e-6", "1.0E-6"], "0.000001"), (["1e-7", "0.0000001", "10E-8"], "1e-7"),
        (["-0", "-0.0", "0e5", "0.000"], "0"), (["-2e-3", "-0.002"], "-0.002"),
        (["123456789012345678901", "1.2345678901234568e20"], "123456789012345680000"),
        (["0.1", "1e-1", "0.10"], "0.1"), (["-1.7976931348623157e308"], "-1.7976931348623157e+308"),
    ]
    static let scalars: [Unicode.Scalar] = [
        "a", "b", "Z", "0", " ", "\"", "\\", "/", "\u{0}", "\u{8}", "\u{9}", "\u{A}", "\u{C}", "\u{D}", "\u{1F}",
        "\u{7F}", "\u{80}", "é", "€", "\u{2028}", "\u{D7FF}", "\u{E000}", "\u{FB33}", "\u{FFFF}", "😀", "\u{10FFFF}",
    ]

    static func random(depth: Int, using rng: inout SplitMix64) -> Value {
        switch Int.random(in: 0..<(depth >= 4 ? 6 : 9), using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .integer(Int.random(in: -999_999_999_999_999...999_999_999_999_999, using: &rng))
        case 3: return .integer(Int.random(in: -100...100, using: &rng))
        case 4:
            let (spellings, canonical) = decimals.randomElement(using: &rng)!
            return .decimal(spellings: spellings, canonical: canonical)
        case 5: return .string(randomString(using: &rng))
        case 6:
            return .array((0..<Int.random(in: 0...5, using: &rng)).map { _ in random(depth: depth + 1, using: &rng) })
        default:
            var seen = Set<[UInt8]>()
            var members: [(String, Value)] = []
            for _ in 0..<Int.random(in: 0...6, using: &rng) {
                let key = randomString(using: &rng)
                if seen.insert(Array(key.utf8)).inserted {
                    members.append((key, random(depth: depth + 1, using: &rng)))
                }
            }
            return .object(members)
        }
    }

    static func randomString(using rng: inout SplitMix64) -> String {
        var string = ""
        for _ in 0..<Int.random(in: 0...6, using: &rng) {
            string.unicodeScalars.append(scalars.randomElement(using: &rng)!)
        }
        return string
    }

    func canonical() -> String {
        switch self {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .integer(let number): return String(number)
        case .decimal(_, let canonical): return canonical
        case .string(let string): return Self.quote(string)
        case .array(let elements): return "[" + elements.map { $0.canonical() }.joined(separator: ",") + "]"
        case .object(let members):
            let sorted = members.sorted { $0.0.utf16.lexicographicallyPrecedes($1.0.utf16) }
            return "{" + sorted.map { Self.quote($0.0) + ":" + $0.1.canonical() }.joined(separator: ",") + "}"
        }
    }

    static func quote(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{8}": out += "\\b"
            case "\u{C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0}"..."\u{1F}": out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    func noisy(using rng: inout SplitMix64) -> String {
        func space(_ rng: inout SplitMix64) -> String {
            String(
                (0..<Int.random(in: 0...2, using: &rng)).map { _ in [" ", "\t", "\n", "\r"].randomElement(using: &rng)!
                }
            )
        }
        switch self {
        case .null, .bool: return canonical()
        case .integer(let number):
            return [String(number), "\(number).0", "\(number)e0", "\(number)E+00"].randomElement(using: &rng)!
        case .decimal(let spellings, _): return spellings.randomElement(using: &rng)!
        case .string(let string): return Self.noisyQuote(string, using: &rng)
        case .array(let elements):
            let parts = elements.map { space(&rng) + $0.noisy(using: &rng) + space(&rng) }
            return "[" + space(&rng) + parts.joined(separator: ",") + "]"
        case .object(let members):
            let parts = members.shuffled(using: &rng).map {
                space(&rng) + Self.noisyQuote($0.0, using: &rng) + space(&rng) + ":" + space(&rng)
                    + $0.1.noisy(using: &rng) + space(&rng)
            }
            return "{" + space(&rng) + parts.joined(separator: ",") + "}"
        }
    }

    static func noisyQuote(_ string: String, using rng: inout SplitMix64) -> String {
        func unicodeEscape(_ unit: UInt16, _ rng: inout SplitMix64) -> String {
            let hex = String(repeating: "0", count: 4 - String(unit, radix: 16).count) + String(unit, radix: 16)
            return "\\u" + (Bool.random(using: &rng) ? hex.uppercased() : hex)
        }
        var out = "\""
        for scalar in string.unicodeScalars {
            if Bool.random(using: &rng) {
                out += String(scalar).utf16.map { unicodeEscape($0, &rng) }.joined()
            } else if scalar == "/" {
                out += "\\/"
            } else {
                out += String(quote(String(scalar)).dropFirst().dropLast())
            }
        }
        return out + "\""
    }
}
