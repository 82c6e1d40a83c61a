public import AdminProtocol
public import NIOCore

/// Reads replies (RESP2 and RESP3) from a byte stream: the client side of the codec, used by the
/// CLI and the tests. Returns nil until a whole reply is buffered.
public struct RESPReplyDecoder: Sendable {
    /// The deepest nesting of aggregates accepted.
    public var maxDepth = 64

    public init() {}

    /// Decodes one reply from the front of `buffer`, consuming it; nil (and nothing consumed) when incomplete.
    public func decode(_ buffer: inout ByteBuffer) throws(RESPDecodingError) -> RESPValue? {
        var copy = buffer
        guard let value = try value(&copy, depth: 0) else { return nil }
        buffer = copy
        return value
    }

    private func value(_ buffer: inout ByteBuffer, depth: Int) throws(RESPDecodingError) -> RESPValue? {
        guard depth <= maxDepth else { throw Self.protocolError("reply nested too deeply") }
        guard let marker = buffer.readInteger(as: UInt8.self), let line = Self.line(&buffer) else { return nil }
        switch marker {
        case UInt8(ascii: "+"): return .simpleString(line)
        case UInt8(ascii: "-"): return .error(line)
        case UInt8(ascii: ":"): return .integer(try Self.integer(line))
        case UInt8(ascii: "_"): return .null
        case UInt8(ascii: "#"): return .boolean(line == "t")
        case UInt8(ascii: ","): return .double(Double(line) ?? .nan)
        case UInt8(ascii: "("): return .bigNumber(line)
        case UInt8(ascii: "$"), UInt8(ascii: "="), UInt8(ascii: "!"):
            let length = try Self.integer(line)
            if length < 0 { return .null }
            guard buffer.readableBytes >= Int(length) + 2, let body = buffer.readSlice(length: Int(length)) else {
                return nil
            }
            buffer.moveReaderIndex(forwardBy: 2)
            if marker == UInt8(ascii: "$") { return .bulkString(body) }
            let text = String(buffer: body)
            if marker == UInt8(ascii: "!") { return .error(text) }
            return .verbatimString(format: String(text.prefix(3)), text: String(text.dropFirst(4)))
        case UInt8(ascii: "*"), UInt8(ascii: "~"), UInt8(ascii: ">"), UInt8(ascii: "%"):
            let count = try Self.integer(line)
            if count < 0 { return .null }
            var elements: [RESPValue] = []
            let total = marker == UInt8(ascii: "%") ? count * 2 : count
            for _ in 0..<total {
                guard let element = try value(&buffer, depth: depth + 1) else { return nil }
                elements.append(element)
            }
            switch marker {
            case UInt8(ascii: "~"): return .set(elements)
            case UInt8(ascii: ">"): return .push(elements)
            case UInt8(ascii: "%"):
                return .map(stride(from: 0, to: elements.count, by: 2).map { .init(elements[$0], elements[$0 + 1]) })
            default: return .array(elements)
            }
        default:
            throw Self.protocolError("unknown reply type byte \(marker)")
        }
    }

    private static func line(_ buffer: inout ByteBuffer) -> String? {
        let view = buffer.readableBytesView
        guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let length = newline - view.startIndex
        let text = buffer.readString(
            length: length > 0 && view[newline - 1] == UInt8(ascii: "\r") ? length - 1 : length
        )
        buffer.moveReaderIndex(to: newline + 1)
        return text
    }

    private static func integer(_ text: String) throws(RESPDecodingError) -> Int64 {
        guard let value = Int64(text) else { throw protocolError("invalid integer '\(text)' in reply") }
        return value
    }

    private static func protocolError(_ message: String) -> RESPDecodingError {
        .protocolError(message)
    }
}
