import Foundation
public import TransparencyLog

#if canImport(Glibc)
    import Glibc
#endif

/// The file holding the log's signing key, outside the database: one line,
/// `PRIVATE+KEY+name+hash+base64`, readable by its owner only.
public struct LogKeyFile: Sendable, Hashable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The key; refuses a missing or unreadable file, one others may read, or a malformed key.
    public func read() throws(LogKeyFileError) -> NoteSignerKey {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let text = try? String(contentsOfFile: path, encoding: .utf8)
        else {
            throw LogKeyFileError("cannot read the log key \(path)")
        }
        let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
        guard mode & 0o077 == 0 else {
            throw LogKeyFileError(
                "the log key \(path) may be read by others (mode \(String(mode, radix: 8))); chmod 600 it"
            )
        }
        do {
            return try NoteSignerKey(parsing: text.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            throw LogKeyFileError("the log key \(path) is not a signing key: \(error.message)")
        }
    }

    /// Writes a new key named `name`, mode 0600; refuses to replace an existing file.
    public func generate(name: String) throws(LogKeyFileError) -> NoteSignerKey {
        let key: NoteSignerKey
        do {
            key = try NoteSignerKey.generate(name: name)
        } catch {
            throw LogKeyFileError("--name: \(error.message)")
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            let reason = errno == EEXIST ? "it exists; a log's key is never replaced" : String(cString: strerror(errno))
            throw LogKeyFileError("cannot write the log key \(path): \(reason)")
        }
        let bytes = Array((key.text + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard written == bytes.count else {
            unlink(path)
            throw LogKeyFileError("cannot write the log key \(path)")
        }
        return key
    }
}

/// The log's key file cannot be used.
public struct LogKeyFileError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
