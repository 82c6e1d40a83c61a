import NIOCore
import TestSupport
import Testing

@testable import AdminProtocol

@Suite struct InlineCommandParserTests {
    @Test(arguments: [
        ("PING", ["PING"]),
        ("  SET   k\tv  ", ["SET", "k", "v"]),
        (#"SET "a b" 'c\'d' "\x41\n""#, ["SET", "a b", "c'd", "A\n"]),
        (#""\n\r\t\b\a\\\"""#, ["\n\r\t\u{08}\u{07}\\\""]),
        (#""\xZZ" "\x4" "\q""#, ["xZZ", "x4", "q"]),
        (#""\x7e\x7E""#, ["~~"]),
        (#"'a\nb' 'x\\y'"#, [#"a\nb"#, #"x\\y"#]),
        (#""" '' x"#, ["", "", "x"]),
        (#"a"b c" d"#, ["ab c", "d"]),
        ("a\u{0B}b \u{0C}c", ["a\u{0B}b", "c"]),
        ("\"q\"\u{0B}x", ["q", "x"]),
        ("GET a\r\n", ["GET", "a"]),
        ("SET ключ 值", ["SET", "ключ", "值"]),
        ("", []),
        (" \t\r\n", []),
    ])
    func splitsLikeSdssplitargs(_ line: String, _ expected: [String]) throws {
        #expect(try InlineCommandParser.split(line.utf8) == expected.map { ByteBuffer(string: $0) })
    }

    @Test(arguments: [
        #"GET "abc"#, "GET 'abc", #"GET "a"b"#, "GET 'a'b", #""abc\""#, #"'abc\'"#, #""a""b""#, #"a"b c"d"#,
    ])
    func rejectsUnbalancedQuotes(_ line: String) {
        #expect(throws: RESPDecodingError.unbalancedQuotes) { try InlineCommandParser.split(line.utf8) }
        #expect(RESPDecodingError.unbalancedQuotes.message == "PROTO unbalanced quotes in request")
    }

    @Test func treatsNulAsAnOrdinaryByte() throws {
        #expect(
            try InlineCommandParser.split([0x61, 0x00, 0x62, 0x20, 0x00]) == [
                ByteBuffer(bytes: [0x61, 0x00, 0x62]), ByteBuffer(bytes: [0]),
            ]
        )
    }

    /// A line without quotes is split without the quote-aware scanner; a quoted empty argument
    /// appended sends the same line through the scanner, which must find the same arguments before it.
    @Test func unquotedLinesSplitAsTheScannerSplitsThem() throws {
        var random = SplitMix64(seed: 7)
        let bytes = Array("ab\\ \t\n\r\u{0B}\u{0C}\0x".utf8) + [0xC3, 0xA9]
        for _ in 0..<2000 {
            let line = (0..<random.within(0...24)).map { _ in random.pick(bytes) }
            let unquoted = try InlineCommandParser.split(line)
            let scanned = try InlineCommandParser.split(line + Array(" ''".utf8))
            #expect(unquoted + [ByteBuffer()] == scanned, "\(line)")
        }
    }

    @Test func acceptsNonContiguousCollections() throws {
        let line = "ECHO 'x y'".utf8.lazy.map { $0 }
        #expect(try InlineCommandParser.split(line) == [ByteBuffer(string: "ECHO"), ByteBuffer(string: "x y")])
    }

    @Test func limitsTheArgumentCount() throws {
        let line = Array("a b c".utf8)
        try line.withUnsafeBytes { bytes throws in
            #expect(try InlineCommandParser.split(bytes, maxArguments: 3).count == 3)
            #expect(throws: RESPDecodingError.tooLarge("request over 2 arguments")) {
                try InlineCommandParser.split(bytes, maxArguments: 2)
            }
        }
    }
}
