/// A validated user name: 1–64 lowercase letters, digits, `_` or `-`, starting with a letter.
///
/// The user's history lives in the stream `user-<name>`.
public struct UserName: Sendable, Hashable, CustomStringConvertible {
    public static let maxLength = 64

    public let rawValue: String

    public init(_ rawValue: String) throws(DomainError) {
        let bytes = Array(rawValue.utf8)
        let isLetter = { (b: UInt8) in b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") }
        let isAllowed = { (b: UInt8) in
            isLetter(b) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "_")
                || b == UInt8(ascii: "-")
        }
        guard let first = bytes.first, bytes.count <= Self.maxLength, isLetter(first), bytes.allSatisfy(isAllowed)
        else {
            throw .invalid(
                "user",
                "must be 1-\(Self.maxLength) lowercase letters, digits, '_' or '-', starting with a letter"
            )
        }
        self.rawValue = rawValue
    }

    /// The stream holding this user's grants and tokens.
    public var stream: String { "user-\(rawValue)" }

    public var description: String { rawValue }
}
