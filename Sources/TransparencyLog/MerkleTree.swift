/// Roots and proofs of an RFC 6962 / RFC 9162 Merkle tree, computed from the hashes of its
/// complete subtrees (`Subtree`), which the caller looks up: in memory, or in the database.
///
/// A lookup may throw; the error ends the computation. `neededSubtrees` lists what a computation
/// will look up, so that a caller can fetch them all at once first.
public struct MerkleTree<Failure: Error> {
    /// Looks up the hash of a complete subtree of the tree.
    public typealias Lookup = (Subtree) throws(Failure) -> TreeHash

    private let lookup: Lookup

    public init(lookup: @escaping Lookup) {
        self.lookup = lookup
    }

    /// The root of the tree of the first `size` leaves (the empty tree's root for 0).
    public func root(size: Int64) throws(Failure) -> TreeHash {
        size == 0 ? TreeHash.empty : try rangeHash(0, size)
    }

    /// RFC 9162 §2.1.3.1: the inclusion proof of leaf `index` in the tree of `size` leaves,
    /// nearest sibling first. Requires `0 <= index < size`.
    public func inclusionProof(index: Int64, size: Int64) throws(Failure) -> [TreeHash] {
        precondition(index >= 0 && index < size, "leaf index outside the tree")
        var proof: [TreeHash] = []
        try path(index, 0, size, into: &proof)
        return proof
    }

    /// RFC 9162 §2.1.4.1: the consistency proof from the tree of `oldSize` leaves to the tree of
    /// `newSize`. Empty when `oldSize` is 0 or equal to `newSize`. Requires `oldSize <= newSize`.
    public func consistencyProof(oldSize: Int64, newSize: Int64) throws(Failure) -> [TreeHash] {
        precondition(oldSize >= 0 && oldSize <= newSize, "old size after new size")
        guard oldSize > 0, oldSize < newSize else { return [] }
        var proof: [TreeHash] = []
        try subproof(oldSize, 0, newSize, complete: true, into: &proof)
        return proof
    }

    /// MTH(D[low:high]) from complete subtrees.
    private func rangeHash(_ low: Int64, _ high: Int64) throws(Failure) -> TreeHash {
        let count = high - low
        if count & (count - 1) == 0, low % count == 0 {
            let level = count.trailingZeroBitCount
            return try lookup(Subtree(level: level, index: low >> level))
        }
        let split = low + Self.split(count)
        return TreeHash.node(try rangeHash(low, split), try rangeHash(split, high))
    }

    private func path(_ index: Int64, _ low: Int64, _ high: Int64, into proof: inout [TreeHash]) throws(Failure) {
        guard high - low > 1 else { return }
        let split = low + Self.split(high - low)
        if index < split {
            try path(index, low, split, into: &proof)
            proof.append(try rangeHash(split, high))
        } else {
            try path(index, split, high, into: &proof)
            proof.append(try rangeHash(low, split))
        }
    }

    private func subproof(
        _ old: Int64,
        _ low: Int64,
        _ high: Int64,
        complete: Bool,
        into proof: inout [TreeHash]
    ) throws(Failure) {
        if old == high {
            if !complete { proof.append(try rangeHash(low, high)) }
            return
        }
        let split = low + Self.split(high - low)
        if old <= split {
            try subproof(old, low, split, complete: complete, into: &proof)
            proof.append(try rangeHash(split, high))
        } else {
            try subproof(old, split, high, complete: false, into: &proof)
            proof.append(try rangeHash(low, split))
        }
    }

    /// The largest power of two smaller than `count` (count > 1).
    static func split(_ count: Int64) -> Int64 {
        Int64(1) << (63 - (count - 1).leadingZeroBitCount)
    }
}

extension MerkleTree where Failure == Never {
    /// The subtrees a computation in `body` looks up, in the order it first needs them.
    public static func neededSubtrees(_ body: (MerkleTree<Never>) -> Void) -> [Subtree] {
        let recorder = SubtreeRecorder()
        let placeholder = TreeHash.empty
        body(
            MerkleTree { subtree in
                if recorder.seen.insert(subtree).inserted { recorder.order.append(subtree) }
                return placeholder
            }
        )
        return recorder.order
    }
}

/// The subtrees a computation asked for, each once.
private final class SubtreeRecorder {
    var seen: Set<Subtree> = []
    var order: [Subtree] = []
}

/// Checks of RFC 9162 proofs against roots: what a verifier with no access to the log runs.
public enum MerkleProof {
    /// RFC 9162 §2.1.3.2: whether `proof` shows the leaf with `leafHash` at `index` in the tree of
    /// `size` leaves whose root is `root`.
    public static func verifyInclusion(
        leafHash: TreeHash,
        index: Int64,
        size: Int64,
        proof: [TreeHash],
        root: TreeHash
    ) -> Bool {
        rootFromInclusion(leafHash: leafHash, index: index, size: size, proof: proof) == root
    }

    /// The root that `proof` leads to from the leaf at `index` in a tree of `size`; nil when the
    /// proof does not have the shape a proof for that index and size has.
    public static func rootFromInclusion(
        leafHash: TreeHash,
        index: Int64,
        size: Int64,
        proof: [TreeHash]
    ) -> TreeHash? {
        guard index >= 0, index < size else { return nil }
        var fn = index
        var sn = size - 1
        var hash = leafHash
        for sibling in proof {
            guard sn > 0 else { return nil }
            if fn & 1 == 1 || fn == sn {
                hash = TreeHash.node(sibling, hash)
                if fn & 1 == 0 {
                    repeat {
                        fn >>= 1
                        sn >>= 1
                    } while fn & 1 == 0 && fn != 0
                }
            } else {
                hash = TreeHash.node(hash, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 ? hash : nil
    }

    /// RFC 9162 §2.1.4.2: whether `proof` shows that the tree of `oldSize` leaves with root
    /// `oldRoot` is a prefix of the tree of `newSize` leaves with root `newRoot`. From size 0 any
    /// tree extends the empty one with an empty proof.
    public static func verifyConsistency(
        oldSize: Int64,
        newSize: Int64,
        oldRoot: TreeHash,
        newRoot: TreeHash,
        proof: [TreeHash]
    ) -> Bool {
        guard oldSize >= 0, oldSize <= newSize else { return false }
        if oldSize == 0 { return proof.isEmpty && oldRoot == TreeHash.empty }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        var path = proof
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
        guard let first = path.first else { return false }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var oldHash = first
        var newHash = first
        for sibling in path.dropFirst() {
            guard sn > 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                oldHash = TreeHash.node(sibling, oldHash)
                newHash = TreeHash.node(sibling, newHash)
                if fn & 1 == 0 {
                    repeat {
                        fn >>= 1
                        sn >>= 1
                    } while fn & 1 == 0 && fn != 0
                }
            } else {
                newHash = TreeHash.node(newHash, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && oldHash == oldRoot && newHash == newRoot
    }
}
