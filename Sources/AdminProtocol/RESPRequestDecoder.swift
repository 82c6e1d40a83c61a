public import NIOCore

/// Decodes client requests, each into its arguments, from RESP multibulk arrays and inline command lines.
///
/// Install per connection as `ByteToMessageHandler(RESPRequestDecoder(limits: limits))`. A request starting
/// with `*` is a multibulk array of bulk strings; anything else is an inline line. Empty requests are skipped.
/// Arguments are slices of the read buffer: copy what you keep beyond the request so it doesn't pin that buffer.
///
/// Errors: every ``RESPDecodingError`` ends the connection. After `TOOLARGE` the rest of the oversized
/// request is never read and after `PROTO` the framing is lost, so the stream is unreadable either way:
/// reply with the error's message, then close.
public struct RESPRequestDecoder: NIOSingleStepByteToMessageDecoder, Sendable {
    /// One request: its arguments, the command name first.
    public typealias InboundOut = [ByteBuffer]

    /// The limits checked against declared sizes before any bytes are waited for.
    public let limits: RESPLimits
    private var multibulk = MultibulkParser()
    private var inline = InlineRequestParser()

    /// A decoder enforcing `limits`.
    public init(limits: RESPLimits = RESPLimits()) {
        self.limits = limits
    }

    /// The next complete request's arguments, or nil if more bytes are needed.
    public mutating func decode(buffer: inout ByteBuffer) throws(RESPDecodingError) -> [ByteBuffer]? {
        // Loops past skipped empty requests: returning nil would leave the rest of this read undecoded.
        while true {
            let step: ParseStep
            if multibulk.isInProgress || buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) == .asterisk {
                step = try multibulk.parse(&buffer, limits: limits)
            } else if buffer.readableBytes > 0 {
                step = try inline.parse(&buffer, limits: limits)
            } else {
                return nil
            }
            switch step {
            case .needMoreData: return nil
            case .skipped: continue
            case .request(let arguments): return arguments
            }
        }
    }

    /// Like ``decode(buffer:)``; at the end of input an incomplete request is dropped, as Redis does.
    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws(RESPDecodingError) -> [ByteBuffer]?
    {
        if let request = try decode(buffer: &buffer) { return request }
        buffer.moveReaderIndex(to: buffer.writerIndex)
        multibulk = MultibulkParser()
        inline = InlineRequestParser()
        return nil
    }

    /// Wire bytes of the request in progress already consumed and held as arguments (for tests).
    var heldRequestBytes: Int { multibulk.requestBytes }
}
