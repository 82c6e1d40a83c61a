import NIOCore

/// Reads one `*<n>\r\n($<len>\r\n<bytes>\r\n){n}` request, consuming each argument as soon as it is complete.
///
/// Holding parsed arguments (instead of re-parsing from the request start on every read) keeps a request
/// trickled in byte by byte linear; what stays unconsumed is at most one header line or one bulk argument.
/// A request that arrives whole is returned as zero-copy slices; one that spans reads has its finished
/// arguments copied into one growing buffer, so they don't pin every read buffer they arrived in.
struct MultibulkParser {
    /// The fewest bytes one argument can take on the wire: `$0\r\n\r\n`.
    static let minimumArgumentBytes = 6

    /// Arguments still to read; zero when no request is in progress.
    private(set) var remaining = 0
    /// Wire bytes of the current request consumed so far; never above `maxRequestBytes`.
    private(set) var requestBytes = 0
    /// Finished arguments that are still slices of the read buffer.
    private var arguments: [ByteBuffer] = []
    /// Finished arguments from earlier reads, back to back, and their lengths.
    private var detached: ByteBuffer?
    private var detachedLengths: [Int] = []
    /// Declared length of the argument whose header was consumed, or -1 while expecting a header.
    private var bulkLength = -1

    var isInProgress: Bool { remaining > 0 }

    /// Parses on from where the last call stopped; `buffer` must start with `*` unless a request is in progress.
    mutating func parse(_ buffer: inout ByteBuffer, limits: RESPLimits) throws(RESPDecodingError) -> ParseStep {
        if remaining == 0 {
            guard let (count, lineLength) = try Self.readLengthLine(&buffer, invalid: .invalidMultibulkLength) else {
                return .needMoreData
            }
            guard count > 0 else { return .skipped }
            guard count <= limits.maxArguments else {
                throw .tooLarge("request over \(limits.maxArguments) arguments")
            }
            guard count <= (limits.maxRequestBytes - lineLength) / Self.minimumArgumentBytes else {
                throw .requestTooLarge(limits)
            }
            remaining = Int(count)
            requestBytes = lineLength
            arguments.reserveCapacity(min(remaining, 16))
        }
        while remaining > 0 {
            if bulkLength < 0 {
                guard try readBulkHeader(&buffer, limits: limits) else { return detachArguments() }
            }
            guard buffer.readableBytes >= bulkLength + 2 else { return detachArguments() }
            let terminator = buffer.getInteger(at: buffer.readerIndex + bulkLength, as: UInt16.self)
            guard terminator == UInt16(UInt8.carriageReturn) << 8 | UInt16(UInt8.lineFeed) else {
                throw .missingBulkTerminator
            }
            arguments.append(buffer.readSlice(length: bulkLength)!)
            buffer.moveReaderIndex(forwardBy: 2)
            requestBytes += bulkLength + 2
            remaining -= 1
            bulkLength = -1
        }
        requestBytes = 0
        guard detached != nil else {
            defer { arguments = [] }
            return .request(arguments)
        }
        _ = detachArguments()
        var all = detached!
        let request = detachedLengths.map { all.readSlice(length: $0)! }
        detached = nil
        detachedLengths = []
        return .request(request)
    }

    /// Copies the finished arguments out of the read buffer before waiting for the next read.
    private mutating func detachArguments() -> ParseStep {
        guard !arguments.isEmpty else { return .needMoreData }
        let bytes = arguments.reduce(0) { $0 + $1.readableBytes }
        var buffer = detached ?? ByteBuffer()
        detached = nil
        buffer.reserveCapacity(minimumWritableBytes: bytes)
        for argument in arguments {
            buffer.writeImmutableBuffer(argument)
            detachedLengths.append(argument.readableBytes)
        }
        detached = buffer
        arguments.removeAll(keepingCapacity: true)
        return .needMoreData
    }

    /// Consumes a complete, in-limit `$<len>\r\n`; false if more bytes are needed.
    private mutating func readBulkHeader(_ buffer: inout ByteBuffer, limits: RESPLimits) throws(RESPDecodingError)
        -> Bool
    {
        guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return false }
        guard first == .dollar else { throw .unexpectedByte(first, expected: "$") }
        guard let (length, lineLength) = try Self.readLengthLine(&buffer, invalid: .invalidBulkLength) else {
            return false
        }
        guard length >= 0 else { throw .invalidBulkLength }
        guard length <= limits.maxBulkLength else {
            throw .tooLarge("argument over \(limits.maxBulkLength) bytes")
        }
        guard length <= limits.maxRequestBytes - requestBytes - lineLength - 2 else {
            throw .requestTooLarge(limits)
        }
        bulkLength = Int(length)
        requestBytes += lineLength
        return true
    }

    /// Consumes a complete header line and returns its value and length; nil (nothing consumed) if incomplete.
    private static func readLengthLine(
        _ buffer: inout ByteBuffer,
        invalid: RESPDecodingError
    ) throws(RESPDecodingError) -> (Int64, Int)? {
        switch buffer.withUnsafeReadableBytes(LengthLine.scan) {
        case .incomplete:
            return nil
        case .invalid:
            throw invalid
        case .complete(let value, let length):
            buffer.moveReaderIndex(forwardBy: length)
            return (value, length)
        }
    }
}
