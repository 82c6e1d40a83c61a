import Foundation
import TestSupport
import Testing

@testable import EventLog

/// Text is escaped eight bytes at a time exactly as JSON.stringify escapes it byte by byte.
@Suite struct JSONEscapeTests {
    static func escaped(_ bytes: [UInt8]) -> (fast: [UInt8], plain: [UInt8]) {
        var fast: [UInt8] = []
        bytes.withUnsafeBytes { JSONParser.appendEscaped($0, to: &fast) }
        return (fast, Self.reference(bytes))
    }

    /// JSON.stringify's escaping, one byte at a time: quote and backslash escaped, the short
    /// escapes for backspace, form feed, line feed, carriage return and tab, `\u00xx` for the
    /// other control characters, every other byte as it is.
    static func reference(_ bytes: [UInt8]) -> [UInt8] {
        var out = Array("\"".utf8)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): out += Array("\\\"".utf8)
            case UInt8(ascii: "\\"): out += Array("\\\\".utf8)
            case 0x08: out += Array("\\b".utf8)
            case 0x0C: out += Array("\\f".utf8)
            case 0x0A: out += Array("\\n".utf8)
            case 0x0D: out += Array("\\r".utf8)
            case 0x09: out += Array("\\t".utf8)
            case ..<0x20: out += Array(String(format: "\\u%04x", Int(byte)).utf8)
            default: out.append(byte)
            }
        }
        return out + Array("\"".utf8)
    }

    @Test func everyByteAtEveryPlaceOfAWordIsEscapedAlike() {
        for byte in UInt8.min...UInt8.max {
            for length in 1...17 {
                for place in 0..<length {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    bytes[place] = byte
                    let (fast, plain) = Self.escaped(bytes)
                    #expect(fast == plain, "byte \(byte) at \(place) of \(length)")
                    if fast != plain { return }
                }
            }
        }
    }

    @Test func randomTextIsEscapedAlike() {
        var random = SplitMix64(seed: 42)
        let alphabet = Array("ab \"\\\u{1}\n\té✓".utf8)
        for _ in 0..<2_000 {
            let length = Int(random.next() % 64)
            let bytes = (0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            let (fast, plain) = Self.escaped(bytes)
            #expect(fast == plain)
        }
        #expect(Self.escaped([]).fast == Array(#""""#.utf8))
    }
}
