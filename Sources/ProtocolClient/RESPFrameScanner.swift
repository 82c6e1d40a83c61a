public import NIOCore

/// Tells whether a buffer holds one whole reply yet, scanning each byte once however many reads
/// the reply arrives in: a large reply (a page of 10,000 events) is then decoded once, when it is
/// complete, instead of once per read from its start.
///
/// It only counts lines, bulk lengths and aggregate sizes; `RESPReplyDecoder` reads the values
/// and reports malformed input. The scan state is relative to the buffer's reader index, so
/// reset it whenever a reply is consumed.
public struct RESPFrameScanner: Sendable {
    /// Bytes from the reader index already scanned: whole header lines and bulk bodies.
    private var offset = 0
    /// For each aggregate still open, the elements it still expects.
    private var open: [Int] = []

    public init() {}

    /// The length in bytes of the whole reply `buffer`'s readable bytes begin with; nil until it
    /// has all arrived.
    public mutating func wholeReplyLength(in buffer: ByteBuffer) -> Int? {
        let bytes = buffer.readableBytesView
        while true {
            let start = bytes.startIndex + offset
            guard start < bytes.endIndex, let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                return nil
            }
            let marker = bytes[start]
            let number = Self.length(in: bytes[(start + 1)..<newline])
            var next = newline + 1 - bytes.startIndex
            switch marker {
            case UInt8(ascii: "$"), UInt8(ascii: "="), UInt8(ascii: "!"):
                if number >= 0 {
                    guard bytes.count >= next + number + 2 else { return nil }
                    next += number + 2
                }
                offset = next
                if completeElement() { return offset }
            case UInt8(ascii: "*"), UInt8(ascii: "~"), UInt8(ascii: ">"), UInt8(ascii: "%"):
                offset = next
                let count = marker == UInt8(ascii: "%") ? number * 2 : number
                if count > 0 {
                    open.append(count)
                } else if completeElement() {
                    return offset
                }
            default:
                offset = next
                if completeElement() { return offset }
            }
        }
    }

    /// The length or count a header line gives (`-1` for a null), read from its digits without
    /// copying them; 0 for a line that is not a whole number (a simple string, a double), whose
    /// value the scanner does not need.
    private static func length(in line: ByteBufferView.SubSequence) -> Int {
        var number = 0
        var negative = false
        for byte in line {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): number = number &* 10 &+ Int(byte &- UInt8(ascii: "0"))
            case UInt8(ascii: "-") where number == 0: negative = true
            case UInt8(ascii: "\r"): break
            default: return 0
            }
        }
        return negative ? -number : number
    }

    /// Counts one finished element against the aggregates open; true when the reply is whole.
    private mutating func completeElement() -> Bool {
        while let last = open.indices.last {
            open[last] -= 1
            guard open[last] == 0 else { return false }
            open.removeLast()
        }
        return true
    }
}
