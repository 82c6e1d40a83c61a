public import EventLog

/// The application's port to the transparency log over the event log: the latest signed
/// checkpoint and Merkle proofs (RFC 9162) against the stored tree.
///
/// The server wiring implements it when a signing key is configured. Tree hashes travel as raw
/// 32-byte values; leaf index = position − 1.
public protocol TransparencyBackend: Sendable {
    /// The latest signed checkpoint note, byte for byte; nil before the first is signed.
    func checkpoint() async throws(CaselogError) -> String?
    /// The latest checkpoint a quorum of witnesses cosigned: the signed note with their
    /// cosignature lines appended; `UNAVAILABLE` when no witnesses are configured or none is yet.
    func cosignedCheckpoint() async throws(CaselogError) -> String
    /// The inclusion proof of the event at `position` in the tree of `size` events (default: the
    /// latest checkpoint's size).
    func inclusionProof(position: LogPosition, size: Int64?) async throws(CaselogError) -> InclusionProof
    /// The consistency proof from the tree of `old` events to the tree of `new` events.
    func consistencyProof(from old: Int64, to new: Int64) async throws(CaselogError) -> [[UInt8]]
    /// The stored hashes of tree level `level` from `index` on, `count` of them (a tile's
    /// contents); nil until all are stored.
    func levelHashes(level: Int, from index: Int64, count: Int) async throws(CaselogError) -> [[UInt8]]?
    /// The leaves' data (the events' chain hashes) of leaf indices `index ..< index + count`
    /// (an entry bundle's contents); nil until the tree covers them all.
    func leafData(from index: Int64, count: Int) async throws(CaselogError) -> [[UInt8]]?
}

/// An event's inclusion proof: its leaf, the tree's size, the hashes, and the checkpoint of that
/// size when the proof is against the latest one.
public struct InclusionProof: Sendable, Hashable {
    public let position: LogPosition
    public let size: Int64
    /// The leaf's data: the event's chain hash.
    public let leaf: [UInt8]
    public let hashes: [[UInt8]]
    /// The signed checkpoint note of `size`, when `size` is the latest checkpoint's.
    public let checkpoint: String?

    public init(position: LogPosition, size: Int64, leaf: [UInt8], hashes: [[UInt8]], checkpoint: String?) {
        self.position = position
        self.size = size
        self.leaf = leaf
        self.hashes = hashes
        self.checkpoint = checkpoint
    }

    /// The leaf index of the event: position − 1.
    public var index: Int64 { position - 1 }
}
