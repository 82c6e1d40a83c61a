import Crypto
import Foundation

/// An Ed25519 key of the C2SP signed-note format (golang.org/x/mod/sumdb/note), with its name
/// and key id.
///
/// The key id is the first four bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key), big-endian.
/// Verifier keys are written `name+hash+base64(0x01 ‖ public key)`, private keys
/// `PRIVATE+KEY+name+hash+base64(0x01 ‖ seed)`, with `hash` the key id as eight hex digits.
public struct NoteVerifierKey: Sendable, Hashable {
    /// The signature algorithm byte of Ed25519 keys.
    static let ed25519: UInt8 = 0x01

    public let name: String
    public let keyID: UInt32
    public let publicKey: [UInt8]

    /// The key of `name` with the 32-byte Ed25519 `publicKey`.
    public init(name: String, publicKey: [UInt8]) throws(TransparencyLogError) {
        try Self.checkName(name)
        guard publicKey.count == 32 else { throw .malformed("verifier key", "an Ed25519 public key has 32 bytes") }
        self.name = name
        self.publicKey = publicKey
        keyID = Self.keyID(name: name, key: [Self.ed25519] + publicKey)
    }

    /// Reads `name+hash+base64(0x01 ‖ public key)`, refusing a key whose hash does not match.
    public init(parsing text: String) throws(TransparencyLogError) {
        let parts = text.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed("verifier key", "expected name+hash+key") }
        let key = try Self.decodeKey(parts[2], what: "verifier key")
        try self.init(name: String(parts[0]), publicKey: Array(key.dropFirst()))
        guard String(parts[1]) == Self.hex(keyID) else {
            throw .malformed("verifier key", "the hash does not match the name and key")
        }
    }

    /// `name+hash+base64(0x01 ‖ public key)`, as `caselog key show` prints it and Go's
    /// `note.NewVerifier` reads it.
    public var text: String {
        "\(name)+\(Self.hex(keyID))+\(Data([Self.ed25519] + publicKey).base64EncodedString())"
    }

    /// Whether `signature` is this key's Ed25519 signature of `message`.
    public func isValidSignature(_ signature: [UInt8], of message: [UInt8]) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: message)
    }

    static func keyID(name: String, key: [UInt8]) -> UInt32 {
        let digest = Array(SHA256.hash(data: Array(name.utf8) + [0x0A] + key))
        return digest.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    static func hex(_ keyID: UInt32) -> String { String(format: "%08x", keyID) }

    /// A name is non-empty, printable, with no spaces and no `+` (signed-note).
    static func checkName(_ name: String) throws(TransparencyLogError) {
        guard !name.isEmpty,
            name.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0 != "+" && $0.properties.generalCategory != .control }
            )
        else {
            throw .malformed("key name", "must be non-empty, with no spaces, no + and no control characters")
        }
    }

    /// The 33 bytes `algorithm ‖ key` of base64 text.
    static func decodeKey(
        _ text: Substring,
        what: String,
        algorithm: UInt8 = ed25519
    ) throws(TransparencyLogError) -> [UInt8] {
        guard let data = Data(base64Encoded: String(text)), data.count == 33, data.first == algorithm else {
            throw .malformed(what, "expected base64 of 0x0\(algorithm) and a 32-byte Ed25519 key")
        }
        return Array(data)
    }
}

/// The private half of a signed-note key: signs notes as `name`.
public struct NoteSignerKey: Sendable {
    private let seed: [UInt8]
    /// The matching verifier key.
    public let verifier: NoteVerifierKey

    /// The key of `name` with the 32-byte Ed25519 `seed` (the private key).
    public init(name: String, seed: [UInt8]) throws(TransparencyLogError) {
        guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) else {
            throw .malformed("private key", "an Ed25519 seed has 32 bytes")
        }
        self.seed = seed
        verifier = try NoteVerifierKey(name: name, publicKey: Array(key.publicKey.rawRepresentation))
    }

    /// A new random key for `name`.
    public static func generate(name: String) throws(TransparencyLogError) -> NoteSignerKey {
        try NoteSignerKey(name: name, seed: Array(Curve25519.Signing.PrivateKey().rawRepresentation))
    }

    /// Reads `PRIVATE+KEY+name+hash+base64(0x01 ‖ seed)`, as Go's `note.GenerateKey` writes it.
    public init(parsing text: String) throws(TransparencyLogError) {
        let (name, hash, seed) = try Self.fields(of: text, algorithm: NoteVerifierKey.ed25519)
        try self.init(name: name, seed: seed)
        guard hash == NoteVerifierKey.hex(verifier.keyID) else {
            throw .malformed("private key", "the hash does not match the name and key")
        }
    }

    /// The name, hash and seed of `PRIVATE+KEY+name+hash+base64(algorithm ‖ seed)`.
    static func fields(
        of text: String,
        algorithm: UInt8
    ) throws(TransparencyLogError) -> (name: String, hash: String, seed: [UInt8]) {
        let parts = text.split(separator: "+", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "PRIVATE", parts[1] == "KEY" else {
            throw .malformed("private key", "expected PRIVATE+KEY+name+hash+key")
        }
        let key = try NoteVerifierKey.decodeKey(parts[4], what: "private key", algorithm: algorithm)
        return (String(parts[2]), String(parts[3]), Array(key.dropFirst()))
    }

    /// `PRIVATE+KEY+name+hash+base64(0x01 ‖ seed)`, the hash being the verifier key's id, as Go writes it.
    public var text: String {
        let key = [NoteVerifierKey.ed25519] + seed
        return "PRIVATE+KEY+\(verifier.name)+\(NoteVerifierKey.hex(verifier.keyID))+\(Data(key).base64EncodedString())"
    }

    /// The Ed25519 signature of `message`.
    public func signature(of message: [UInt8]) throws -> [UInt8] {
        Array(try Curve25519.Signing.PrivateKey(rawRepresentation: seed).signature(for: message))
    }
}
