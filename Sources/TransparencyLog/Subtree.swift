/// A complete subtree of the log's Merkle tree: the `2^level` leaves from `index << level` on.
///
/// These are the hashes the log stores: level 0 holds the leaf hashes, level 1 the hashes of
/// aligned pairs of leaves, and so on. Every hash a root or a proof needs is built from them.
public struct Subtree: Hashable, Sendable, CustomStringConvertible {
    public let level: Int
    public let index: Int64

    public init(level: Int, index: Int64) {
        self.level = level
        self.index = index
    }

    /// The first leaf it covers.
    public var firstLeaf: Int64 { index << level }
    /// The leaf after the last one it covers.
    public var endLeaf: Int64 { (index + 1) << level }

    public var description: String { "\(level)/\(index)" }
}
