import Crypto
import Foundation

/// A 32-byte SHA-256 hash of a Merkle tree node, as RFC 6962 / RFC 9162 define them.
public struct TreeHash: Hashable, Sendable, CustomStringConvertible {
    /// The 32 raw bytes.
    public let bytes: [UInt8]

    /// A hash of exactly 32 bytes; nil for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    init(_ digest: SHA256.Digest) {
        bytes = Array(digest)
    }

    /// The hash in standard base64, as checkpoints and proofs write it.
    public var base64: String { Data(bytes).base64EncodedString() }

    /// The hash of standard base64 text; nil when it is not 32 bytes of base64.
    public init?(base64 text: some StringProtocol) {
        guard let data = Data(base64Encoded: String(text)) else { return nil }
        self.init(bytes: Array(data))
    }

    /// Lowercase hex, as the rest of caselog shows hashes.
    public var description: String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// The root of the empty tree: SHA-256 of no bytes.
    public static let empty = TreeHash(SHA256.hash(data: [UInt8]()))

    /// A leaf's hash: SHA-256(0x00 ‖ data).
    public static func leaf(_ data: [UInt8]) -> TreeHash {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(data: data)
        return TreeHash(hasher.finalize())
    }

    /// An interior node's hash: SHA-256(0x01 ‖ left ‖ right).
    public static func node(_ left: TreeHash, _ right: TreeHash) -> TreeHash {
        var hasher = SHA256()
        hasher.update(data: [0x01])
        hasher.update(data: left.bytes)
        hasher.update(data: right.bytes)
        return TreeHash(hasher.finalize())
    }
}
