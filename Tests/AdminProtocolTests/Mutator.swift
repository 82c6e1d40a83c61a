import TestSupport

/// Random damage to request bytes: bit flips, protocol-significant insertions, deletions, truncations, splices.
struct Mutator {
    var random: SplitMix64

    static let tokens: [[UInt8]] = [
        "*", "$", "\r\n", "\n", "\r", "-1", "0", "-", " ", "\t", "\"", "'", "\\", "\\x", "\\x4", "99999999999999999999",
        "4194305", "*0\r\n", "*-1\r\n", "*2147483647\r\n", "$1048577\r\n", "*1\r\n$4\r\nPING\r\n", "+OK\r\n", "\u{0}",
    ].map { Array($0.utf8) }

    /// `input` with one to four random mutations applied; `others` supplies splice material.
    mutating func mutate(_ input: [UInt8], others: [[UInt8]]) -> [UInt8] {
        var bytes = input
        for _ in 0..<random.within(1...4) {
            let at = random.within(0...bytes.count)
            switch random.below(7) {
            case 0 where at < bytes.count:
                bytes[at] ^= 1 << UInt8(random.below(8))
            case 1 where at < bytes.count:
                bytes[at] = random.byte()
            case 2:
                bytes.insert(contentsOf: Self.tokens[random.below(Self.tokens.count)], at: at)
            case 3:
                bytes.removeSubrange(at..<min(bytes.count, at + random.within(1...8)))
            case 4:
                bytes.removeSubrange(at...)
            case 5:
                let end = min(bytes.count, at + random.within(1...32))
                bytes.insert(contentsOf: bytes[at..<end], at: random.within(0...bytes.count))
            default:
                let other = others[random.below(others.count)]
                let start = random.within(0...other.count)
                bytes.insert(contentsOf: other[start...], at: at)
            }
        }
        return bytes
    }

    /// Chunk sizes to feed `count` bytes: all at once, byte by byte, or random pieces.
    mutating func chunkSizes(for count: Int) -> [Int] {
        switch random.below(4) {
        case 0: return []
        case 1 where count <= 256: return Array(repeating: 1, count: count)
        default:
            let largest = random.pick([4, 16, 64, 512, 4096])
            var sizes: [Int] = []
            var total = 0
            while total < count {
                sizes.append(random.within(1...largest))
                total += sizes[sizes.count - 1]
            }
            return sizes
        }
    }
}
