/// The result of scanning a `*<count>\r\n` or `$<length>\r\n` header line.
///
/// Every byte is validated as it arrives, so a malformed header fails at once instead of being buffered.
enum LengthLine: Equatable {
    case incomplete
    case invalid
    /// The integer and the number of bytes the line takes, prefix and CRLF included.
    case complete(value: Int64, length: Int)

    /// Scans `bytes`, whose first byte is the already checked type prefix, like Redis' strict `string2ll`:
    /// optional `-`, then `0` or digits without a leading zero, then `\r\n`.
    static func scan(_ bytes: UnsafeRawBufferPointer) -> LengthLine {
        var index = 1
        let negative = index < bytes.count && bytes[index] == .minus
        if negative { index += 1 }
        let digitsStart = index
        var value: Int64 = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == .carriageReturn {
                guard index > digitsStart, !(negative && value == 0) else { return .invalid }
                guard index + 1 < bytes.count else { return .incomplete }
                guard bytes[index + 1] == .lineFeed else { return .invalid }
                return .complete(value: negative ? -value : value, length: index + 2)
            }
            guard byte >= .digitZero, byte <= .digitNine, index == digitsStart || bytes[digitsStart] != .digitZero
            else {
                return .invalid
            }
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            let (next, carry) = shifted.addingReportingOverflow(Int64(byte - .digitZero))
            guard !overflow, !carry else { return .invalid }
            value = next
            index += 1
        }
        return .incomplete
    }
}
