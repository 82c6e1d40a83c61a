/// Why a request could not be decoded; ``message`` is the full reply text, e.g. `PROTO invalid bulk length`.
///
/// The server replies with ``message`` as an error. ``RESPRequestDecoder`` emits a `TOOLARGE` error as
/// ``RESPRequest/rejected(_:)``, drops the rest of that request and goes on, so the connection stays open;
/// it throws a `PROTO` error, after which the framing is lost and the stream unreadable, so the connection closes.
public struct RESPDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong: a limit from ``RESPLimits`` was exceeded, or the bytes are not RESP.
    public enum Kind: Hashable, Sendable {
        /// `TOOLARGE`: a declared or scanned size is over a ``RESPLimits`` value; the request is rejected.
        case tooLarge
        /// `PROTO`: the bytes are neither a valid multibulk request nor a valid inline line; the connection closes.
        case protocolError
    }

    /// Whether a limit was exceeded or the bytes were malformed.
    public let kind: Kind
    /// The error reply, starting with its code: `TOOLARGE …` or `PROTO …`.
    public let message: String

    /// The ``message``.
    public var description: String { message }

    /// A `TOOLARGE` error naming the limit that was exceeded.
    static func tooLarge(_ detail: String) -> Self {
        Self(kind: .tooLarge, message: "TOOLARGE " + detail)
    }

    /// A `PROTO` error naming what was malformed.
    public static func protocolError(_ detail: String) -> Self {
        Self(kind: .protocolError, message: "PROTO " + detail)
    }

    static let unbalancedQuotes = protocolError("unbalanced quotes in request")
    static let invalidMultibulkLength = protocolError("invalid multibulk length")
    static let invalidBulkLength = protocolError("invalid bulk length")
    static let missingBulkTerminator = protocolError("expected CRLF after bulk argument")

    static func requestTooLarge(_ limits: RESPLimits) -> Self {
        tooLarge("request over \(limits.maxRequestBytes) bytes")
    }

    static func unexpectedByte(_ byte: UInt8, expected: Character) -> Self {
        protocolError("expected '\(expected)', got '\(printable(byte))'")
    }

    /// Printable ASCII as itself, anything else as `\xHH`, so the message stays one clean line.
    private static func printable(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F { return String(UnicodeScalar(byte)) }
        let hex = String(byte, radix: 16, uppercase: false)
        return "\\x" + (hex.count == 1 ? "0" + hex : hex)
    }
}
