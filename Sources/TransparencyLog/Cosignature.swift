import Crypto
import Foundation

/// A witness's public key for C2SP tlog-cosignature/v1 (Ed25519) cosignatures.
///
/// The key id is the first four bytes of SHA-256(name ‖ "\n" ‖ 0x04 ‖ public key); the key is
/// written `name+hash+base64(0x04 ‖ public key)`.
public struct CosignatureVerifierKey: Sendable, Hashable {
    /// The signature type byte of Ed25519 cosignature/v1 keys.
    static let algorithm: UInt8 = 0x04

    public let name: String
    public let keyID: UInt32
    public let publicKey: [UInt8]

    /// The key of `name` with the 32-byte Ed25519 `publicKey`.
    public init(name: String, publicKey: [UInt8]) throws(TransparencyLogError) {
        try NoteVerifierKey.checkName(name)
        guard publicKey.count == 32 else { throw .malformed("witness key", "an Ed25519 public key has 32 bytes") }
        self.name = name
        self.publicKey = publicKey
        keyID = NoteVerifierKey.keyID(name: name, key: [Self.algorithm] + publicKey)
    }

    /// Reads `name+hash+base64(0x04 ‖ public key)`, refusing a key whose hash does not match.
    public init(parsing text: String) throws(TransparencyLogError) {
        let parts = text.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed("witness key", "expected name+hash+key") }
        let key = try NoteVerifierKey.decodeKey(parts[2], what: "witness key", algorithm: Self.algorithm)
        try self.init(name: String(parts[0]), publicKey: Array(key.dropFirst()))
        guard String(parts[1]) == NoteVerifierKey.hex(keyID) else {
            throw .malformed("witness key", "the hash does not match the name and key")
        }
    }

    /// `name+hash+base64(0x04 ‖ public key)`.
    public var text: String {
        "\(name)+\(NoteVerifierKey.hex(keyID))+\(Data([Self.algorithm] + publicKey).base64EncodedString())"
    }

    /// The time of `signature` when it is this key's valid cosignature of the checkpoint `body`; nil otherwise.
    public func cosignatureTime(of signature: SignedNote.Signature, on body: String) -> Int64? {
        guard signature.name == name, signature.keyID == keyID, signature.bytes.count == 8 + 64 else { return nil }
        let time = signature.bytes.prefix(8).reduce(Int64(0)) { $0 << 8 | Int64($1) }
        guard time >= 0, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey),
            key.isValidSignature(signature.bytes.dropFirst(8), for: Self.message(body: body, time: time))
        else { return nil }
        return time
    }

    /// The line of `answer` (a witness's reply: signature lines) that is this key's valid
    /// cosignature of the checkpoint `body`, with its newline; nil when none is.
    public func cosignatureLine(in answer: String, on body: String) -> String? {
        for line in answer.split(separator: "\n") {
            if let signature = try? SignedNote.Signature(line: line), cosignatureTime(of: signature, on: body) != nil {
                return line + "\n"
            }
        }
        return nil
    }

    /// The signed message: `cosignature/v1`, `time <seconds>`, then the checkpoint's body.
    static func message(body: String, time: Int64) -> [UInt8] {
        Array("cosignature/v1\ntime \(time)\n\(body)".utf8)
    }
}

/// The private half of a witness's cosignature/v1 key; stored as
/// `PRIVATE+KEY+name+hash+base64(0x04 ‖ seed)`, the hash being the cosignature key id.
public struct CosignatureSignerKey: Sendable {
    private let seed: [UInt8]
    /// The matching verifier key.
    public let verifier: CosignatureVerifierKey

    /// The key of `name` with the 32-byte Ed25519 `seed`.
    public init(name: String, seed: [UInt8]) throws(TransparencyLogError) {
        guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) else {
            throw .malformed("private key", "an Ed25519 seed has 32 bytes")
        }
        self.seed = seed
        verifier = try CosignatureVerifierKey(name: name, publicKey: Array(key.publicKey.rawRepresentation))
    }

    /// A new random key for `name`.
    public static func generate(name: String) throws(TransparencyLogError) -> CosignatureSignerKey {
        try CosignatureSignerKey(name: name, seed: Array(Curve25519.Signing.PrivateKey().rawRepresentation))
    }

    /// Reads `PRIVATE+KEY+name+hash+base64(0x04 ‖ seed)`.
    public init(parsing text: String) throws(TransparencyLogError) {
        let (name, hash, seed) = try NoteSignerKey.fields(of: text, algorithm: CosignatureVerifierKey.algorithm)
        try self.init(name: name, seed: seed)
        guard hash == NoteVerifierKey.hex(verifier.keyID) else {
            throw .malformed("private key", "the hash does not match the name and key")
        }
    }

    /// `PRIVATE+KEY+name+hash+base64(0x04 ‖ seed)`.
    public var text: String {
        let key = [CosignatureVerifierKey.algorithm] + seed
        return
            "PRIVATE+KEY+\(verifier.name)+\(NoteVerifierKey.hex(verifier.keyID))+\(Data(key).base64EncodedString())"
    }

    /// The note signature line `— name base64(key id ‖ time ‖ signature)` cosigning the checkpoint
    /// `body` at `time` (seconds since the epoch).
    public func cosignatureLine(on body: String, time: Int64) throws -> String {
        let message = CosignatureVerifierKey.message(body: body, time: time)
        let signature = Array(try Curve25519.Signing.PrivateKey(rawRepresentation: seed).signature(for: message))
        let keyID = verifier.keyID
        let idBytes = (0..<4).map { UInt8(truncatingIfNeeded: keyID >> (24 - 8 * $0)) }
        let timeBytes = (0..<8).map { UInt8(truncatingIfNeeded: time >> (56 - 8 * $0)) }
        return "— \(verifier.name) \(Data(idBytes + timeBytes + signature).base64EncodedString())\n"
    }
}
