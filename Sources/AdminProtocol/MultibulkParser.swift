import NIOCore

/// Reads one `*<n>\r\n($<len>\r\n<bytes>\r\n){n}` request, consuming each argument as soon as it is complete.
///
/// Holding parsed arguments (instead of re-parsing from the request start on every read) keeps a request
/// trickled in byte by byte linear; what stays unconsumed is at most one header line or one bulk argument.
/// A request that arrives whole is returned as zero-copy slices; one that spans reads has its finished
/// arguments copied into one growing buffer, so they don't pin every read buffer they arrived in.
///
/// A request over a limit is rejected as soon as a header declares it, before its bytes arrive. Its held
/// arguments are released and the rest of it is dropped as it arrives: the declared count of arguments is
/// known, so headers are still parsed (a malformed one is a protocol error), but no limit applies and no
/// argument byte is kept.
struct MultibulkParser {
    /// The fewest bytes one argument can take on the wire: `$0\r\n\r\n`.
    static let minimumArgumentBytes = 6

    /// Arguments still to read or drop; zero when no request is in progress.
    private(set) var remaining = 0
    /// Wire bytes of the current request consumed and held so far; never above `maxRequestBytes`.
    private(set) var requestBytes = 0
    /// Whether the rest of a rejected request is being dropped.
    private(set) var isDiscarding = false
    /// Finished arguments that are still slices of the read buffer.
    private var arguments: [ByteBuffer] = []
    /// Finished arguments from earlier reads, back to back, and their lengths.
    private var detached: ByteBuffer?
    private var detachedLengths: [Int] = []
    /// Declared length of the argument whose header was consumed, or -1 while expecting a header.
    /// While discarding: the argument's bytes still to drop before its CRLF.
    private var bulkLength = -1

    var isInProgress: Bool { remaining > 0 }

    /// Parses on from where the last call stopped; `buffer` must start with `*` unless a request is in progress.
    mutating func parse(_ buffer: inout ByteBuffer, limits: RESPLimits) throws(RESPDecodingError) -> ParseStep {
        if remaining == 0 {
            guard let (count, lineLength) = try Self.readLengthLine(&buffer, invalid: .invalidMultibulkLength) else {
                return .needMoreData
            }
            guard count > 0 else { return .skipped }
            remaining = Int(count)
            guard count <= limits.maxArguments else {
                return reject(.tooLarge("request over \(limits.maxArguments) arguments"))
            }
            guard count <= (limits.maxRequestBytes - lineLength) / Self.minimumArgumentBytes else {
                return reject(.requestTooLarge(limits))
            }
            requestBytes = lineLength
            arguments.reserveCapacity(min(remaining, 16))
        }
        if isDiscarding { return try discard(&buffer) }
        while remaining > 0 {
            if bulkLength < 0 {
                guard let (length, lineLength) = try Self.readBulkHeader(&buffer) else { return detachArguments() }
                requestBytes += lineLength
                guard length <= limits.maxBulkLength else {
                    return reject(.tooLarge("argument over \(limits.maxBulkLength) bytes"), dropping: Int(length))
                }
                guard length <= limits.maxRequestBytes - requestBytes - 2 else {
                    return reject(.requestTooLarge(limits), dropping: Int(length))
                }
                bulkLength = Int(length)
            }
            guard buffer.readableBytes >= bulkLength + 2 else { return detachArguments() }
            let argument = buffer.readSlice(length: bulkLength)!
            try Self.readTerminator(&buffer)
            arguments.append(argument)
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

    /// Releases the request in progress and starts dropping the rest of it: `length` bytes of the current
    /// argument (-1 if its header is still to come), then the arguments after it.
    private mutating func reject(_ error: RESPDecodingError, dropping length: Int = -1) -> ParseStep {
        arguments = []
        detached = nil
        detachedLengths = []
        requestBytes = 0
        bulkLength = length
        isDiscarding = true
        return .rejected(error)
    }

    /// Drops the rejected request's bytes as they arrive; `.skipped` once its last argument is gone.
    private mutating func discard(_ buffer: inout ByteBuffer) throws(RESPDecodingError) -> ParseStep {
        while remaining > 0 {
            if bulkLength < 0 {
                guard let (length, _) = try Self.readBulkHeader(&buffer) else { return .needMoreData }
                bulkLength = Int(length)
            }
            let dropped = min(bulkLength, buffer.readableBytes)
            buffer.moveReaderIndex(forwardBy: dropped)
            bulkLength -= dropped
            guard bulkLength == 0, buffer.readableBytes >= 2 else { return .needMoreData }
            try Self.readTerminator(&buffer)
            remaining -= 1
            bulkLength = -1
        }
        isDiscarding = false
        return .skipped
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

    /// Consumes a complete `$<len>\r\n` and returns the length (never negative) and the line's length;
    /// nil (nothing consumed) if more bytes are needed.
    private static func readBulkHeader(_ buffer: inout ByteBuffer) throws(RESPDecodingError) -> (Int64, Int)? {
        guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return nil }
        guard first == .dollar else { throw .unexpectedByte(first, expected: "$") }
        guard let (length, lineLength) = try readLengthLine(&buffer, invalid: .invalidBulkLength) else {
            return nil
        }
        guard length >= 0 else { throw .invalidBulkLength }
        return (length, lineLength)
    }

    /// Consumes the CRLF that ends a bulk argument; at least two bytes must be readable.
    private static func readTerminator(_ buffer: inout ByteBuffer) throws(RESPDecodingError) {
        let terminator = buffer.readInteger(as: UInt16.self)
        guard terminator == UInt16(UInt8.carriageReturn) << 8 | UInt16(UInt8.lineFeed) else {
            throw .missingBulkTerminator
        }
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
