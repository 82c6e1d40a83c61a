import Foundation

/// A C2SP signed note: text, a blank line, and signature lines `— name base64(key id ‖ signature)`.
///
/// The text ends with a newline; each Ed25519 signature is over the text's bytes exactly.
public struct SignedNote: Sendable, Hashable {
    /// One signature line.
    public struct Signature: Sendable, Hashable {
        public let name: String
        public let keyID: UInt32
        public let bytes: [UInt8]

        /// Reads one signature line `— name base64(key id ‖ signature)`, without its newline.
        public init(line: Substring) throws(TransparencyLogError) {
            guard line.hasPrefix("— ") else { throw .malformed("note", "a signature line starts with an em dash") }
            let fields = line.dropFirst(2).split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == 2, let data = Data(base64Encoded: String(fields[1])), data.count > 4 else {
                throw .malformed("note", "a signature line is `— name base64`")
            }
            let bytes = Array(data)
            name = String(fields[0])
            keyID = bytes.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
            self.bytes = Array(bytes.dropFirst(4))
        }
    }

    /// The signed text, with its final newline.
    public let text: String
    public let signatures: [Signature]

    /// The note with `text` signed by `signer`: the form Go's `note.Sign` writes.
    public static func sign(_ text: String, with signer: NoteSignerKey) throws -> String {
        try checkText(text)
        let signature = try signer.signature(of: Array(text.utf8))
        let keyID = signer.verifier.keyID
        let prefix: [UInt8] = [
            UInt8(keyID >> 24), UInt8(keyID >> 16 & 0xff), UInt8(keyID >> 8 & 0xff), UInt8(keyID & 0xff),
        ]
        return "\(text)\n— \(signer.verifier.name) \(Data(prefix + signature).base64EncodedString())\n"
    }

    /// Reads a signed note, without checking any signature.
    public init(parsing note: String) throws(TransparencyLogError) {
        guard note.hasSuffix("\n"), let blank = note.range(of: "\n\n", options: .backwards) else {
            throw .malformed("note", "expected text, a blank line and signature lines")
        }
        let text = String(note[..<blank.lowerBound]) + "\n"
        try Self.checkText(text)
        var signatures: [Signature] = []
        for line in note[blank.upperBound...].split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            signatures.append(try Signature(line: line))
        }
        guard !signatures.isEmpty else { throw .malformed("note", "has no signature") }
        self.text = text
        self.signatures = signatures
    }

    /// Opens `note`: its text when `key` signed it, else an `UNVERIFIED` error.
    public static func open(_ note: String, verifiedBy key: NoteVerifierKey) throws(TransparencyLogError) -> String {
        let parsed = try SignedNote(parsing: note)
        let signed = parsed.signatures.contains { signature in
            signature.name == key.name && signature.keyID == key.keyID
                && key.isValidSignature(signature.bytes, of: Array(parsed.text.utf8))
        }
        guard signed else {
            throw TransparencyLogError(.unverified, "the note has no valid signature by \(key.name)")
        }
        return parsed.text
    }

    /// A note's text is non-empty, ends with a newline and has no other control characters.
    private static func checkText(_ text: String) throws(TransparencyLogError) {
        guard text.hasSuffix("\n"),
            text.unicodeScalars.allSatisfy({ $0 == "\n" || $0.properties.generalCategory != .control })
        else {
            throw .malformed("note", "the text must end with a newline and hold no other control characters")
        }
    }
}
