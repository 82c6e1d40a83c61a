/// Lowercase hexadecimal text of bytes, as hashes are shown on the wire and in exports.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `bytes` as lowercase hex, two digits per byte.
    public static func encode(_ bytes: [UInt8]) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { output in
            write(bytes, into: UnsafeMutableRawBufferPointer(output))
            return bytes.count * 2
        }
    }

    /// Writes `bytes` as lowercase hex into the first `2 × bytes.count` bytes of `output`.
    public static func write(_ bytes: [UInt8], into output: UnsafeMutableRawBufferPointer) {
        for (index, byte) in bytes.enumerated() {
            output[2 * index] = digits[Int(byte >> 4)]
            output[2 * index + 1] = digits[Int(byte & 0x0f)]
        }
    }

    /// The bytes of hex text (either case); nil when it is not an even number of hex digits.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = value(utf8[index]), let low = value(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    /// The value of one hex digit (either case); nil for any other byte.
    static func value(_ digit: UInt8) -> UInt8? {
        let value = nibble(digit)
        return value < 16 ? value : nil
    }

    /// The value of one hex digit (either case); 0xFF for any other byte.
    static func nibble(_ digit: UInt8) -> UInt8 {
        let decimal = digit &- UInt8(ascii: "0")
        let letter = (digit | 0x20) &- UInt8(ascii: "a")
        return decimal < 10 ? decimal : letter < 6 ? letter &+ 10 : 0xFF
    }
}
