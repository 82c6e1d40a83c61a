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

    private static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
