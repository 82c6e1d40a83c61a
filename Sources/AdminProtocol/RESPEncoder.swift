public import NIOCore

/// Writes ``RESPValue`` replies in RESP2 or RESP3 wire format.
public struct RESPEncoder {
    /// Appends `value` to `buffer`, downgrading RESP3-only types for RESP2 the way Redis does.
    public static func encode(_ value: RESPValue, protocolVersion: RESPProtocolVersion, into buffer: inout ByteBuffer) {
        let resp3 = protocolVersion == .resp3
        switch value {
        case .simpleString(let text):
            writeLine(prefix: "+", text, into: &buffer)
        case .error(let message):
            writeLine(prefix: "-", message, into: &buffer)
        case .integer(let number):
            writeHeader(":", number, into: &buffer)
        case .bulkString(let bytes):
            writeHeader("$", bytes.readableBytes, into: &buffer)
            buffer.writeImmutableBuffer(bytes)
            buffer.writeStaticString("\r\n")
        case .null:
            buffer.writeStaticString(resp3 ? "_\r\n" : "$-1\r\n")
        case .array(let elements):
            writeAggregate("*", elements, protocolVersion, into: &buffer)
        case .map(let entries):
            writeHeader(resp3 ? "%" : "*", resp3 ? entries.count : entries.count * 2, into: &buffer)
            for entry in entries {
                encode(entry.key, protocolVersion: protocolVersion, into: &buffer)
                encode(entry.value, protocolVersion: protocolVersion, into: &buffer)
            }
        case .set(let elements):
            writeAggregate(resp3 ? "~" : "*", elements, protocolVersion, into: &buffer)
        case .push(let elements):
            writeAggregate(resp3 ? ">" : "*", elements, protocolVersion, into: &buffer)
        case .double(let number):
            writeTextual(prefix: ",", formatDouble(number), resp3: resp3, into: &buffer)
        case .boolean(let flag):
            if resp3 {
                buffer.writeStaticString(flag ? "#t\r\n" : "#f\r\n")
            } else {
                buffer.writeStaticString(flag ? ":1\r\n" : ":0\r\n")
            }
        case .verbatimString(let format, let text):
            writeVerbatim(format: format, text: text, resp3: resp3, into: &buffer)
        case .bigNumber(let digits):
            writeTextual(prefix: "(", digits, resp3: resp3, into: &buffer)
        }
    }

    /// The text Redis sends for a double: `inf`, `-inf`, `nan`, `-0`, plain digits when integral, else shortest form.
    static func formatDouble(_ number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        if number == 0 { return number.sign == .minus ? "-0" : "0" }
        if abs(number) <= Double(Int64.max / 2), number.rounded(.towardZero) == number {
            return String(Int64(number))
        }
        return number.description
    }

    private static func writeAggregate(
        _ prefix: Unicode.Scalar,
        _ elements: [RESPValue],
        _ protocolVersion: RESPProtocolVersion,
        into buffer: inout ByteBuffer
    ) {
        writeHeader(prefix, elements.count, into: &buffer)
        for element in elements {
            encode(element, protocolVersion: protocolVersion, into: &buffer)
        }
    }

    /// RESP3 writes `<prefix><text>\r\n` (CR/LF replaced); RESP2 writes the text as a bulk string.
    private static func writeTextual(prefix: Unicode.Scalar, _ text: String, resp3: Bool, into buffer: inout ByteBuffer)
    {
        if resp3 {
            writeLine(prefix: prefix, text, into: &buffer)
        } else {
            writeHeader("$", text.utf8.count, into: &buffer)
            buffer.writeString(text)
            buffer.writeStaticString("\r\n")
        }
    }

    /// The format must be three bytes (`txt`, `mkd`); any other format is sent as `txt`.
    private static func writeVerbatim(format: String, text: String, resp3: Bool, into buffer: inout ByteBuffer) {
        let textLength = text.utf8.count
        guard resp3 else {
            writeHeader("$", textLength, into: &buffer)
            buffer.writeString(text)
            buffer.writeStaticString("\r\n")
            return
        }
        writeHeader("=", 4 + textLength, into: &buffer)
        buffer.writeString(format.utf8.count == 3 ? format : "txt")
        buffer.writeStaticString(":")
        buffer.writeString(text)
        buffer.writeStaticString("\r\n")
    }

    /// Writes `<prefix><decimal>\r\n` in one pass, without building a `String`.
    static func writeHeader(
        _ prefix: Unicode.Scalar,
        _ number: some FixedWidthInteger,
        into buffer: inout ByteBuffer
    ) {
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 24) { output in
            output[0] = UInt8(ascii: prefix)
            var magnitude = UInt64(number.magnitude)
            var digits = 0
            repeat {
                digits += 1
                magnitude /= 10
            } while magnitude > 0
            var end = 1 + digits
            if number < 0 {
                output[1] = UInt8(ascii: "-")
                end += 1
            }
            magnitude = UInt64(number.magnitude)
            for index in stride(from: end - 1, to: end - 1 - digits, by: -1) {
                output[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            }
            output[end] = UInt8(ascii: "\r")
            output[end + 1] = UInt8(ascii: "\n")
            return end + 2
        }
    }

    /// Writes `<prefix><text>\r\n`, replacing any CR or LF inside `text` with a space so framing holds.
    /// One write into the buffer: each write checks the buffer's storage, which shows for short replies.
    private static func writeLine(prefix: Unicode.Scalar, _ text: String, into buffer: inout ByteBuffer) {
        var text = text
        text.withUTF8 { bytes in
            _ = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: bytes.count + 3) { output in
                output[0] = UInt8(ascii: prefix)
                for (offset, byte) in bytes.enumerated() {
                    output[1 + offset] = isLineBreak(byte) ? UInt8(ascii: " ") : byte
                }
                output[bytes.count + 1] = UInt8(ascii: "\r")
                output[bytes.count + 2] = UInt8(ascii: "\n")
                return bytes.count + 3
            }
        }
    }

    private static func isLineBreak(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
    }
}
