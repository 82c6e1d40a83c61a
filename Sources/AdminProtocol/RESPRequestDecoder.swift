public import NIOCore

/// Decodes client requests from RESP multibulk arrays and inline command lines.
///
/// The server's connection handler calls `decode(buffer:)` itself, one request per turn; it also works
/// as `ByteToMessageHandler(RESPRequestDecoder(limits: limits))`. A request starting
/// with `*` is a multibulk array of bulk strings; anything else is an inline line. Empty requests are skipped.
/// Arguments are slices of the read buffer: copy what you keep beyond the request so it doesn't pin that buffer.
///
/// Over a limit: the request comes out as ``RESPRequest/rejected(_:)`` with a `TOOLARGE` error as soon as a
/// declared or scanned size shows it, before the oversized bytes arrive. The rest of that request is then
/// dropped as it arrives, holding none of it, and decoding goes on with the next request: answer the
/// rejection like any other reply and keep the connection open.
///
/// Malformed framing: decoding throws a `PROTO` ``RESPDecodingError``. The byte stream cannot be read any
/// further, so reply with the error's message, then close.
public struct RESPRequestDecoder: NIOSingleStepByteToMessageDecoder, Sendable {
    /// One request: its arguments, or its rejection.
    public typealias InboundOut = RESPRequest

    /// The limits checked against declared sizes before any bytes are waited for.
    public let limits: RESPLimits
    private var multibulk = MultibulkParser()
    private var inline = InlineRequestParser()

    /// A decoder enforcing `limits`.
    public init(limits: RESPLimits = RESPLimits()) {
        self.limits = limits
    }

    /// The next complete or rejected request, or nil if more bytes are needed; throws only `PROTO` errors.
    public mutating func decode(buffer: inout ByteBuffer) throws(RESPDecodingError) -> RESPRequest? {
        // Loops past skipped bytes: returning nil would leave the rest of this read undecoded.
        while true {
            let step: ParseStep
            if multibulk.isInProgress
                || (!inline.isDiscarding && buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) == .asterisk)
            {
                step = try multibulk.parse(&buffer, limits: limits)
            } else if buffer.readableBytes > 0 {
                step = try inline.parse(&buffer, limits: limits)
            } else {
                return nil
            }
            switch step {
            case .needMoreData: return nil
            case .skipped: continue
            case .request(let arguments): return .command(arguments)
            case .rejected(let error): return .rejected(error)
            }
        }
    }

    /// Like ``decode(buffer:)``; at the end of input an incomplete request is dropped, as Redis does.
    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws(RESPDecodingError) -> RESPRequest? {
        if let request = try decode(buffer: &buffer) { return request }
        buffer.moveReaderIndex(to: buffer.writerIndex)
        multibulk = MultibulkParser()
        inline = InlineRequestParser()
        return nil
    }

    /// Hands back the arguments of a decoded request once it was answered: their array then holds
    /// the next request's arguments, instead of a new one being allocated for every request.
    public mutating func recycle(_ arguments: consuming [ByteBuffer]) {
        multibulk.recycle(arguments)
    }

    /// Wire bytes of the request in progress already consumed and held as arguments (for tests).
    var heldRequestBytes: Int { multibulk.requestBytes }

    /// Whether the rest of a rejected request is being dropped (for tests).
    var isDiscarding: Bool { multibulk.isDiscarding || inline.isDiscarding }
}
