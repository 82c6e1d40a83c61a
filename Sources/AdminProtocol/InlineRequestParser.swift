import NIOCore

/// Reads one inline command: a line ended by `\n` (an `\r` before it is dropped), split by ``InlineCommandParser``.
struct InlineRequestParser {
    /// Bytes already searched for the newline, so a line trickling in is scanned only once.
    private(set) var scanned = 0

    /// Parses the line at the start of `buffer`, throwing `TOOLARGE` as soon as it is over `maxInlineLength`.
    mutating func parse(_ buffer: inout ByteBuffer, limits: RESPLimits) throws(RESPDecodingError) -> ParseStep {
        let lineLimit = limits.maxInlineLength > Int.max - 2 ? Int.max : limits.maxInlineLength + 2
        let window = min(buffer.readableBytes, lineLimit)
        let newline = buffer.withUnsafeReadableBytes { [scanned] bytes in
            bytes[scanned..<window].firstIndex(of: .lineFeed)
        }
        guard let newline else {
            guard window < lineLimit else { throw .tooLarge("inline request over \(limits.maxInlineLength) bytes") }
            scanned = window
            return .needMoreData
        }
        scanned = 0
        let result = buffer.withUnsafeReadableBytes { bytes in
            let lineLength = newline > 0 && bytes[newline - 1] == .carriageReturn ? newline - 1 : newline
            return Result { () throws(RESPDecodingError) in
                guard lineLength <= limits.maxInlineLength else {
                    throw .tooLarge("inline request over \(limits.maxInlineLength) bytes")
                }
                return try InlineCommandParser.split(
                    UnsafeRawBufferPointer(rebasing: bytes[..<lineLength]),
                    maxArguments: limits.maxArguments
                )
            }
        }
        buffer.moveReaderIndex(forwardBy: newline + 1)
        let arguments = try result.get()
        return arguments.isEmpty ? .skipped : .request(arguments)
    }
}
