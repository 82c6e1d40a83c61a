/// The right edge of a growing Merkle tree: the hashes of the complete subtrees that make up
/// its first `size` leaves, largest first (one per set bit of `size`).
///
/// Appending a leaf yields every complete subtree it completes, which is what the log stores;
/// the root of the current size is folded from the frontier alone.
public struct TreeFrontier: Sendable, Equatable {
    /// The number of leaves.
    public private(set) var size: Int64
    /// The subtrees of the frontier with their hashes, largest (leftmost) first.
    public private(set) var subtrees: [(Subtree, TreeHash)]

    /// The empty tree.
    public init() {
        size = 0
        subtrees = []
    }

    /// The frontier of a tree of `size` leaves from the hashes of `Self.subtrees(ofSize:)`, in
    /// that order; nil when the count does not match.
    public init?(size: Int64, hashes: [TreeHash]) {
        let shape = Self.subtrees(ofSize: size)
        guard shape.count == hashes.count else { return nil }
        self.size = size
        subtrees = Array(zip(shape, hashes))
    }

    /// The complete subtrees a tree of `size` leaves splits into, largest first.
    public static func subtrees(ofSize size: Int64) -> [Subtree] {
        var result: [Subtree] = []
        var start: Int64 = 0
        for level in stride(from: 62, through: 0, by: -1) where size & (Int64(1) << level) != 0 {
            result.append(Subtree(level: level, index: start >> level))
            start += Int64(1) << level
        }
        return result
    }

    /// Appends a leaf with `leafHash`; returns the subtrees it completes (the leaf itself first,
    /// then each larger one), each to be stored.
    public mutating func append(leafHash: TreeHash) -> [(Subtree, TreeHash)] {
        var completed: [(Subtree, TreeHash)] = [(Subtree(level: 0, index: size), leafHash)]
        var current = completed[0]
        while let last = subtrees.last, last.0.level == current.0.level {
            subtrees.removeLast()
            current = (
                Subtree(level: current.0.level + 1, index: last.0.index >> 1),
                TreeHash.node(last.1, current.1)
            )
            completed.append(current)
        }
        subtrees.append(current)
        size += 1
        return completed
    }

    /// The root of the tree of `size` leaves.
    public var root: TreeHash {
        guard var hash = subtrees.last?.1 else { return TreeHash.empty }
        for (_, left) in subtrees.dropLast().reversed() {
            hash = TreeHash.node(left, hash)
        }
        return hash
    }

    public static func == (lhs: TreeFrontier, rhs: TreeFrontier) -> Bool {
        lhs.size == rhs.size && lhs.subtrees.elementsEqual(rhs.subtrees) { $0.0 == $1.0 && $0.1 == $1.1 }
    }
}
