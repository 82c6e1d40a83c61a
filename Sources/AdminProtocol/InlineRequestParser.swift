import NIOCore

/// Reads one inline command: a line ended by `\n` (an `\r` before it is dropped), split by ``InlineCommandParser``.
struct InlineRequestParser {
    /// Bytes already searched for the newline, so a line trickling in is scanned only once.
    private(set) var scanned = 0
    /// Whether the rest of a rejected line is being dropped, up to and including its `\n`.
    private(set) var isDiscarding = false

    /// Parses the line at the start of `buffer`, rejecting it with `TOOLARGE` as soon as it is over
    /// `maxInlineLength` (then dropping the rest of it as it arrives) or has over `maxArguments` arguments.
    mutating func parse(_ buffer: inout ByteBuffer, limits: RESPLimits) throws(RESPDecodingError) -> ParseStep {
        if isDiscarding { return discard(&buffer) }
        let lineLimit = limits.maxInlineLength > Int.max - 2 ? Int.max : limits.maxInlineLength + 2
        let window = min(buffer.readableBytes, lineLimit)
        let newline = buffer.withUnsafeReadableBytes { [scanned] bytes in
            bytes[scanned..<window].firstIndex(of: .lineFeed)
        }
        guard let newline else {
            guard window < lineLimit else {
                buffer.moveReaderIndex(forwardBy: window)
                scanned = 0
                isDiscarding = true
                return .rejected(.tooLarge("inline request over \(limits.maxInlineLength) bytes"))
            }
            scanned = window
            return .needMoreData
        }
        scanned = 0
        let start = buffer.readerIndex
        let result = buffer.withUnsafeReadableBytes { bytes in
            let lineLength = newline > 0 && bytes[newline - 1] == .carriageReturn ? newline - 1 : newline
            return Result { () throws(RESPDecodingError) in
                guard lineLength <= limits.maxInlineLength else {
                    throw .tooLarge("inline request over \(limits.maxInlineLength) bytes")
                }
                return try InlineCommandParser.split(
                    UnsafeRawBufferPointer(rebasing: bytes[..<lineLength]),
                    maxArguments: limits.maxArguments
                ) { buffer.getSlice(at: start + $0, length: $1)! }
            }
        }
        buffer.moveReaderIndex(forwardBy: newline + 1)
        switch result {
        case .success(let arguments):
            return arguments.isEmpty ? .skipped : .request(arguments)
        case .failure(let error) where error.kind == .tooLarge:
            return .rejected(error)
        case .failure(let error):
            throw error
        }
    }

    /// Drops bytes up to and including the next `\n`; `.skipped` once it is found.
    private mutating func discard(_ buffer: inout ByteBuffer) -> ParseStep {
        let newline = buffer.withUnsafeReadableBytes { $0.firstIndex(of: .lineFeed) }
        guard let newline else {
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return .needMoreData
        }
        buffer.moveReaderIndex(forwardBy: newline + 1)
        isDiscarding = false
        return .skipped
    }
}
