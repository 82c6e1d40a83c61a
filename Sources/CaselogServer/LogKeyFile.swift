import Foundation
public import TransparencyLog

#if canImport(Glibc)
    import Glibc
#endif

/// The file holding a signing key outside the database: one line, `PRIVATE+KEY+name+hash+base64`,
/// readable by its owner only. The log's key signs checkpoints (signed-note type 0x01); a
/// witness's key cosigns them (cosignature/v1, type 0x04).
public struct LogKeyFile: Sendable, Hashable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The log's key; refuses a missing or unreadable file, one others may read, or a malformed key.
    public func read() throws(LogKeyFileError) -> NoteSignerKey {
        let text = try readText(what: "log key")
        do {
            return try NoteSignerKey(parsing: text)
        } catch {
            throw LogKeyFileError("the log key \(path) is not a signing key: \(error.message)")
        }
    }

    /// A witness's key; refuses as `read()` does.
    public func readWitnessKey() throws(LogKeyFileError) -> CosignatureSignerKey {
        let text = try readText(what: "witness key")
        do {
            return try CosignatureSignerKey(parsing: text)
        } catch {
            throw LogKeyFileError("the witness key \(path) is not a cosignature key: \(error.message)")
        }
    }

    /// Writes a new log key named `name`, mode 0600; refuses to replace an existing file.
    public func generate(name: String) throws(LogKeyFileError) -> NoteSignerKey {
        let key: NoteSignerKey
        do {
            key = try NoteSignerKey.generate(name: name)
        } catch {
            throw LogKeyFileError("--name: \(error.message)")
        }
        try create(key.text, what: "log key")
        return key
    }

    /// Writes a new witness key named `name`, as `generate(name:)` does.
    public func generateWitnessKey(name: String) throws(LogKeyFileError) -> CosignatureSignerKey {
        let key: CosignatureSignerKey
        do {
            key = try CosignatureSignerKey.generate(name: name)
        } catch {
            throw LogKeyFileError("--name: \(error.message)")
        }
        try create(key.text, what: "witness key")
        return key
    }

    private func readText(what: String) throws(LogKeyFileError) -> String {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let text = try? String(contentsOfFile: path, encoding: .utf8)
        else {
            throw LogKeyFileError("cannot read the \(what) \(path)")
        }
        let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
        guard mode & 0o077 == 0 else {
            throw LogKeyFileError(
                "the \(what) \(path) may be read by others (mode \(String(mode, radix: 8))); chmod 600 it"
            )
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func create(_ text: String, what: String) throws(LogKeyFileError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            let reason = errno == EEXIST ? "it exists; a key is never replaced" : String(cString: strerror(errno))
            throw LogKeyFileError("cannot write the \(what) \(path): \(reason)")
        }
        let bytes = Array((text + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard written == bytes.count else {
            unlink(path)
            throw LogKeyFileError("cannot write the \(what) \(path)")
        }
    }
}

/// A key file cannot be used.
public struct LogKeyFileError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
