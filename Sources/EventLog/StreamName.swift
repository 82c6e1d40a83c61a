/// A validated stream name of the form `<kind>-<id>`, e.g. `case-6f1c…` or `org-cpd`.
///
/// The kind is lowercase ASCII letters, digits and `_`, starting with a letter; the id is ASCII
/// letters, digits, `.`, `_`, `:` and `-`. No whitespace or control characters ever reach the log.
public struct StreamName: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The longest stream name accepted, in bytes.
    public static let maxLength = 200

    public let rawValue: String

    /// Validates `rawValue`, throwing `INVALID stream: …` naming the rule it broke.
    public init(_ rawValue: String) throws(EventLogError) {
        let bytes = Array(rawValue.utf8)
        guard !bytes.isEmpty else { throw .invalid("stream", "must not be empty") }
        guard bytes.count <= Self.maxLength else {
            throw .invalid("stream", "must be at most \(Self.maxLength) bytes")
        }
        guard let dash = bytes.firstIndex(of: UInt8(ascii: "-")), dash > 0, dash < bytes.count - 1 else {
            throw .invalid("stream", "must be <kind>-<id>, e.g. case-42")
        }
        guard Self.isLowercaseLetter(bytes[0]), bytes[..<dash].allSatisfy(Self.isKindByte) else {
            throw .invalid("stream", "kind must be lowercase letters, digits or _ and start with a letter")
        }
        guard bytes[(dash + 1)...].allSatisfy(Self.isIdByte) else {
            throw .invalid("stream", "id may hold only letters, digits, '.', '_', ':' and '-'")
        }
        self.rawValue = rawValue
    }

    /// The part before the first `-`: what kind of entity the stream is about.
    public var kind: Substring { rawValue.prefix { $0 != "-" } }

    public var description: String { rawValue }

    public static func < (lhs: StreamName, rhs: StreamName) -> Bool { lhs.rawValue < rhs.rawValue }

    private static func isLowercaseLetter(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func isKindByte(_ byte: UInt8) -> Bool {
        isLowercaseLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "_")
    }

    private static func isIdByte(_ byte: UInt8) -> Bool {
        isLowercaseLetter(byte) || isDigit(byte) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
            || byte == UInt8(ascii: "-")
    }
}
