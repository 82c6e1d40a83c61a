/// A C2SP tlog-checkpoint: the body of a signed note naming the log, its size and its root.
///
/// ```
/// <origin>
/// <size, decimal>
/// <root, base64>
/// ```
/// each line ending in a newline; further lines (extensions) are allowed and ignored.
public struct Checkpoint: Sendable, Hashable {
    public let origin: String
    public let size: Int64
    public let root: TreeHash

    public init(origin: String, size: Int64, root: TreeHash) {
        self.origin = origin
        self.size = size
        self.root = root
    }

    /// The note text: the three lines, each with its newline.
    public var body: String { "\(origin)\n\(size)\n\(root.base64)\n" }

    /// Reads the body of a checkpoint.
    public init(body: String) throws(TransparencyLogError) {
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        guard body.hasSuffix("\n"), lines.count >= 4, !lines[0].isEmpty else {
            throw .malformed("checkpoint", "expected an origin, a size and a root, one per line")
        }
        guard let size = Int64(lines[1]), size >= 0, String(size) == lines[1] else {
            throw .malformed("checkpoint", "the size is a decimal number with no leading zeros")
        }
        guard let root = TreeHash(base64: lines[2]) else {
            throw .malformed("checkpoint", "the root is 32 bytes in base64")
        }
        self.init(origin: String(lines[0]), size: size, root: root)
    }

    /// Opens a signed checkpoint note: the checkpoint when `key` signed it and its origin is `key`'s name.
    public static func open(_ note: String, verifiedBy key: NoteVerifierKey) throws(TransparencyLogError) -> Checkpoint
    {
        let checkpoint = try Checkpoint(body: SignedNote.open(note, verifiedBy: key))
        guard checkpoint.origin == key.name else {
            throw TransparencyLogError(
                .unverified,
                "the checkpoint's origin \(checkpoint.origin) is not the key's name \(key.name)"
            )
        }
        return checkpoint
    }
}
