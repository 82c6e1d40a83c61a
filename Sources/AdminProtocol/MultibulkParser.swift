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
    ///
    /// The bytes are read in one pass over the buffer's memory: every `ByteBuffer` read checks the
    /// buffer's storage, and a few of those per request showed in pipelined throughput.
    mutating func parse(_ buffer: inout ByteBuffer, limits: RESPLimits) throws(RESPDecodingError) -> ParseStep {
        let start = buffer.readerIndex
        let (result, consumed) = buffer.withUnsafeReadableBytes { bytes in
            var input = Input(bytes: bytes)
            let result = Result { () throws(RESPDecodingError) in
                try parse(&input, limits: limits) { buffer.getSlice(at: start + $0, length: $1)! }
            }
            return (result, input.offset)
        }
        buffer.moveReaderIndex(forwardBy: consumed)
        return try result.get()
    }

    /// Hands back the arguments of a request that was answered, so that their array holds the next
    /// request's arguments instead of a new one being allocated for each request.
    mutating func recycle(_ spent: consuming [ByteBuffer]) {
        guard arguments.capacity == 0 else { return }
        spent.removeAll(keepingCapacity: true)
        arguments = spent
    }

    /// Bytes read so far and where the next unread one is.
    private struct Input {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        var remaining: Int { bytes.count - offset }
        var unread: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[offset...]) }
    }

    /// ``parse(_:limits:)`` on the buffer's bytes; `slice` makes an argument of `length` bytes at an offset.
    private mutating func parse(
        _ input: inout Input,
        limits: RESPLimits,
        slice: (_ offset: Int, _ length: Int) -> ByteBuffer
    ) throws(RESPDecodingError) -> ParseStep {
        if remaining == 0 {
            guard let (count, lineLength) = try Self.readLengthLine(&input, invalid: .invalidMultibulkLength) else {
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
        if isDiscarding { return try discard(&input) }
        while remaining > 0 {
            if bulkLength < 0 {
                guard let (length, lineLength) = try Self.readBulkHeader(&input) else { return detachArguments() }
                requestBytes += lineLength
                guard length <= limits.maxBulkLength else {
                    return reject(.tooLarge("argument over \(limits.maxBulkLength) bytes"), dropping: Int(length))
                }
                guard length <= limits.maxRequestBytes - requestBytes - 2 else {
                    return reject(.requestTooLarge(limits), dropping: Int(length))
                }
                bulkLength = Int(length)
            }
            guard input.remaining >= bulkLength + 2 else { return detachArguments() }
            arguments.append(slice(input.offset, bulkLength))
            input.offset += bulkLength
            try Self.readTerminator(&input)
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
    private mutating func discard(_ input: inout Input) throws(RESPDecodingError) -> ParseStep {
        while remaining > 0 {
            if bulkLength < 0 {
                guard let (length, _) = try Self.readBulkHeader(&input) else { return .needMoreData }
                bulkLength = Int(length)
            }
            let dropped = min(bulkLength, input.remaining)
            input.offset += dropped
            bulkLength -= dropped
            guard bulkLength == 0, input.remaining >= 2 else { return .needMoreData }
            try Self.readTerminator(&input)
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
    private static func readBulkHeader(_ input: inout Input) throws(RESPDecodingError) -> (Int64, Int)? {
        guard input.remaining > 0 else { return nil }
        let first = input.bytes[input.offset]
        guard first == .dollar else { throw .unexpectedByte(first, expected: "$") }
        guard let (length, lineLength) = try readLengthLine(&input, invalid: .invalidBulkLength) else {
            return nil
        }
        guard length >= 0 else { throw .invalidBulkLength }
        return (length, lineLength)
    }

    /// Consumes the CRLF that ends a bulk argument; at least two bytes must be readable.
    private static func readTerminator(_ input: inout Input) throws(RESPDecodingError) {
        guard input.bytes[input.offset] == .carriageReturn, input.bytes[input.offset + 1] == .lineFeed else {
            throw .missingBulkTerminator
        }
        input.offset += 2
    }

    /// Consumes a complete header line and returns its value and length; nil (nothing consumed) if incomplete.
    private static func readLengthLine(
        _ input: inout Input,
        invalid: RESPDecodingError
    ) throws(RESPDecodingError) -> (Int64, Int)? {
        switch LengthLine.scan(input.unread) {
        case .incomplete:
            return nil
        case .invalid:
            throw invalid
        case .complete(let value, let length):
            input.offset += length
            return (value, length)
        }
    }
}
