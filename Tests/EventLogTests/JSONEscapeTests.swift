import TestSupport
import Testing

@testable import EventLog

/// Text in memory is escaped eight bytes at a time exactly as the byte-by-byte form escapes it.
@Suite struct JSONEscapeTests {
    static func escaped(_ bytes: [UInt8]) -> (fast: [UInt8], plain: [UInt8]) {
        var fast: [UInt8] = []
        bytes.withUnsafeBytes { JSONParser.appendEscaped($0, to: &fast) }
        var plain: [UInt8] = []
        JSONParser.appendEscaped(bytes[...], to: &plain)
        return (fast, plain)
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
