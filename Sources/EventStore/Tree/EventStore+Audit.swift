public import EventLog
import NIOCore
import PostgresNIO
public import TransparencyLog

/// What `EventStore.audit` found: whether today's log extends the checkpoints an auditor kept.
public struct CheckpointAudit: Sendable, CustomStringConvertible {
    /// The checkpoints whose roots the events reproduce, smallest first.
    public let holding: [Checkpoint]
    /// The smallest checkpoint the events no longer reproduce, if any.
    public let broken: Checkpoint?
    /// The first tree size at which today's log differs from what was signed: the position of
    /// the first changed event when the stored tree hashes still reproduce the broken
    /// checkpoint's root (then they are authenticated by its signature), else the broken
    /// checkpoint's size.
    public let firstDifferingSize: Int64?
    /// Where the hash chain itself breaks, if it does.
    public let chainFailure: ChainVerifier.Failure?
    /// The events the chain was recomputed over.
    public let verifiedCount: Int64

    public var holds: Bool { broken == nil && chainFailure == nil }

    public var description: String {
        if let chainFailure { return "broken: the hash chain breaks at \(chainFailure)" }
        if let broken, let firstDifferingSize {
            let kept = holding.last.map { "; it extends the checkpoint of size \($0.size)" } ?? ""
            return
                "refused: today's log does not extend the checkpoint of size \(broken.size) (origin \(broken.origin)): "
                + "it first differs at size \(firstDifferingSize) (position \(firstDifferingSize))\(kept)"
        }
        let sizes = holding.map { String($0.size) }.joined(separator: ", ")
        return "intact: \(verifiedCount) events chain from position 1 to the head, and their tree extends the "
            + "checkpoint\(holding.count == 1 ? "" : "s") of size \(sizes)"
    }
}

extension EventStore {
    /// Proves or refutes that today's log extends `checkpoints` (already verified signatures):
    /// recomputes the chain from the events and the Merkle tree from the recomputed hashes,
    /// never trusting the stored tree, and compares the roots at each checkpoint's size.
    public func audit(_ checkpoints: [Checkpoint], batchSize: Int = 5000) async throws(EventLogError)
        -> CheckpointAudit
    {
        let sorted = checkpoints.sorted { $0.size < $1.size }
        let head = try await head()
        var verifier = ChainVerifier()
        var frontier = TreeFrontier()
        var leaves: [TreeHash] = []
        var holding: [Checkpoint] = []
        var broken: Checkpoint?
        var remaining = sorted[...]
        let largest = sorted.last?.size ?? 0
        var chainFailure: ChainVerifier.Failure?
        func compare() {
            while let next = remaining.first, next.size == frontier.size {
                remaining.removeFirst()
                if next.root == frontier.root && broken == nil {
                    holding.append(next)
                } else if broken == nil {
                    broken = next
                }
            }
        }
        compare()
        reading: while verifier.nextPosition <= head.position {
            let events = try await readAll(from: verifier.nextPosition, limit: batchSize)
            guard !events.isEmpty else { break }
            for event in events where event.position <= head.position {
                if let failure = verifier.verify(event) {
                    chainFailure = failure
                    break reading
                }
                let leaf = TreeHash.leaf(event.hash)
                _ = frontier.append(leafHash: leaf)
                if frontier.size <= largest { leaves.append(leaf) }
                compare()
            }
        }
        if chainFailure == nil { chainFailure = verifier.verifyEnd(at: head) }
        if chainFailure == nil, let next = remaining.first {
            broken = broken ?? next
            chainFailure = ChainVerifier.Failure(
                position: head.position,
                reason: "the log ends at \(head.position), before the checkpoint's size \(next.size)"
            )
        }
        var firstDifferingSize: Int64?
        if let broken {
            firstDifferingSize = try await firstDifference(from: leaves, within: broken) ?? broken.size
        }
        return CheckpointAudit(
            holding: holding,
            broken: broken,
            firstDifferingSize: firstDifferingSize,
            chainFailure: chainFailure,
            verifiedCount: verifier.verifiedCount
        )
    }

    /// The first size at which `leaves` differ from the stored leaf hashes, when the stored tree
    /// reproduces `checkpoint`'s signed root (so its leaves are what was signed); else nil.
    private func firstDifference(from leaves: [TreeHash], within checkpoint: Checkpoint) async throws(EventLogError)
        -> Int64?
    {
        guard checkpoint.size <= (try await treeSize()), checkpoint.size <= leaves.count,
            try await withStoredTree({ $0.root(size: checkpoint.size) }) == checkpoint.root
        else { return nil }
        var start: Int64 = 0
        while start < checkpoint.size {
            let end = min(start + 10_000, checkpoint.size)
            let subtrees = (start..<end).map { Subtree(level: 0, index: $0) }
            let stored = try await subtreeHashes(subtrees)
            for subtree in subtrees where stored[subtree] != leaves[Int(subtree.index)] {
                return subtree.index + 1
            }
            start = end
        }
        return nil
    }
}
