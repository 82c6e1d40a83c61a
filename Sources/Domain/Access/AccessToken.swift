import Crypto

/// A bearer token `<user>.<secret>`: 256 random bits, shown once, stored only as a SHA-256 hash.
///
/// Carrying the user name lets `AUTH <token>` (what `redis-cli -a` sends) find the user.
public struct AccessToken: Sendable, Hashable {
    public let user: UserName
    public let secret: String

    /// A new token for `user` from the system's cryptographically secure generator.
    public static func generate(for user: UserName) -> AccessToken {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return AccessToken(user: user, secret: Base64URL.encode(bytes))
    }

    /// Splits `<user>.<secret>`; nil when the text is not shaped like a token.
    public init?(parsing text: String) {
        guard let dot = text.lastIndex(of: "."), let user = try? UserName(String(text[..<dot])) else { return nil }
        let secret = String(text[text.index(after: dot)...])
        guard !secret.isEmpty else { return nil }
        self.init(user: user, secret: secret)
    }

    public init(user: UserName, secret: String) {
        self.user = user
        self.secret = secret
    }

    /// The text a client sends.
    public var text: String { "\(user.rawValue).\(secret)" }

    /// Lowercase hex SHA-256 of the secret: the only form that is ever stored.
    public var hash: String { Self.hash(secret) }

    /// A short public id of the token (the first 12 hex digits of its hash), for listing and revoking.
    public var id: String { String(hash.prefix(12)) }

    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Array(secret.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

/// Base64url without padding (RFC 4648 §5).
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for position in 0...chunk.count {
                output.append(alphabet[Int(value >> (18 - 6 * UInt32(position)) & 0x3f)])
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }
}
