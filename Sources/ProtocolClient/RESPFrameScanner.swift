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

    /// Whether `buffer`'s readable bytes begin with a whole reply.
    public mutating func holdsWholeReply(_ buffer: ByteBuffer) -> Bool {
        let bytes = buffer.readableBytesView
        while true {
            let start = bytes.startIndex + offset
            guard start < bytes.endIndex, let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                return false
            }
            let marker = bytes[start]
            let header = bytes[(start + 1)..<newline].filter { $0 != UInt8(ascii: "\r") }
            let number = Int(String(decoding: header, as: UTF8.self)) ?? 0
            var next = newline + 1 - bytes.startIndex
            switch marker {
            case UInt8(ascii: "$"), UInt8(ascii: "="), UInt8(ascii: "!"):
                if number >= 0 {
                    guard bytes.count >= next + number + 2 else { return false }
                    next += number + 2
                }
                offset = next
                if completeElement() { return true }
            case UInt8(ascii: "*"), UInt8(ascii: "~"), UInt8(ascii: ">"), UInt8(ascii: "%"):
                offset = next
                let count = marker == UInt8(ascii: "%") ? number * 2 : number
                if count > 0 {
                    open.append(count)
                } else if completeElement() {
                    return true
                }
            default:
                offset = next
                if completeElement() { return true }
            }
        }
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
