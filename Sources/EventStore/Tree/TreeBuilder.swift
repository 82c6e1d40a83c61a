import EventLog
public import Logging
import NIOCore
import PostgresNIO
public import ServiceLifecycle
import Synchronization
public import TransparencyLog

/// Extends the stored Merkle tree over the log and signs checkpoints of it, off the append path.
///
/// It reads the events after the stored tree's size, stores the hashes of the complete subtrees
/// they complete, and signs a C2SP checkpoint of the new size (at most every `signingInterval`,
/// so at least every second while events arrive). Before signing it checks, in the same
/// transaction as the store, that the tree at the last signed size still has the signed root:
/// it never signs two inconsistent trees. Appends never wait for it.
public final class TreeBuilder: Service, Sendable {
    /// Pacing and batch sizes; every value has a default.
    public struct Configuration: Sendable {
        /// The longest time between passes while nothing happens (a pass also starts on every commit).
        public var idleInterval: Duration = .seconds(1)
        /// The shortest time between two passes, so bursts of commits share one pass.
        public var passInterval: Duration = .milliseconds(200)
        /// Events read per database transaction while catching up.
        public var batchSize = 10_000

        public init() {}
    }

    private let store: EventStore
    private let signer: NoteSignerKey
    private let origin: String
    private let configuration: Configuration
    private let logger: Logger
    private let signed = Mutex<Int64>(-1)
    private let signedWatcher = HeadWatcher()

    /// A builder signing with `signer` as `origin` (the key's name).
    public init(
        store: EventStore,
        signer: NoteSignerKey,
        origin: String,
        configuration: Configuration = .init(),
        logger: Logger
    ) {
        self.store = store
        self.signer = signer
        self.origin = origin
        self.configuration = configuration
        self.logger = logger
    }

    /// The key that verifies this builder's checkpoints.
    public var verifier: NoteVerifierKey { signer.verifier }

    /// Extends and signs until graceful shutdown; a failed pass is logged and retried.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var frontier: TreeFrontier?
            var refusing = false
            while !Task.isCancelled {
                let started = ContinuousClock.now
                do {
                    let current = try await self.extend(frontier)
                    frontier = current
                    if !refusing { try await self.sign(current) }
                } catch let error as TreeRefusal {
                    if !refusing { self.logger.critical("the log refuses to sign: \(error.message)") }
                    refusing = true
                } catch {
                    frontier = nil
                    self.logger.warning(
                        "the tree pass failed; retrying",
                        metadata: ["error": "\(String(reflecting: error))"]
                    )
                }
                try? await Task.sleep(until: started + self.configuration.passInterval)
                await self.store.waitForAppend(after: frontier?.size ?? 0, timeout: self.configuration.idleInterval)
            }
        }
    }

    /// Brings the stored tree up to the log's last committed event, a batch per transaction;
    /// returns the frontier of the stored tree.
    public func extend(_ known: TreeFrontier? = nil) async throws -> TreeFrontier {
        var frontier = known
        while true {
            let (next, added) = try await extendOnce(frontier)
            frontier = next
            if added < configuration.batchSize { return next }
        }
    }

    private func extendOnce(_ known: TreeFrontier?) async throws -> (TreeFrontier, Int) {
        let (logger, batchSize) = (self.logger, configuration.batchSize)
        return try await store.client.committing(logger: logger) { connection in
            var size: Int64 = 0
            for try await stored in try await connection.query("SELECT size FROM log_tree FOR UPDATE", logger: logger)
                .decode(Int64.self)
            {
                size = stored
            }
            var frontier = known ?? TreeFrontier()
            if frontier.size != size {
                frontier = try await Self.frontier(size: size, on: connection, logger: logger)
            }
            let rows = try await connection.query(
                "SELECT position, hash FROM events WHERE position > \(size) ORDER BY position LIMIT \(Int64(batchSize))",
                logger: logger
            )
            var levels: [Int64] = []
            var indices: [Int64] = []
            var hashes: [ByteBuffer] = []
            var added = 0
            for try await (position, hash) in rows.decode((Int64, ByteBuffer).self) {
                guard position == frontier.size + 1 else { break }
                for (subtree, treeHash) in frontier.append(leafHash: TreeHash.leaf(Array(buffer: hash))) {
                    levels.append(Int64(subtree.level))
                    indices.append(subtree.index)
                    hashes.append(ByteBuffer(bytes: treeHash.bytes))
                }
                added += 1
            }
            guard added > 0 else { return (frontier, 0) }
            try await connection.query(
                """
                INSERT INTO log_tree_hashes (level, index, hash)
                SELECT l::smallint, i, h FROM unnest(\(levels), \(indices), \(hashes)) AS t(l, i, h)
                """,
                logger: logger
            )
            try await connection.query("UPDATE log_tree SET size = \(frontier.size)", logger: logger)
            return (frontier, added)
        }
    }

    /// Signs a checkpoint of `frontier` unless one of that size or larger is stored; refuses
    /// (`TreeRefusal`) when the stored tree no longer has the last signed root at its size.
    public func sign(_ frontier: TreeFrontier) async throws {
        guard frontier.size > signed.withLock({ $0 }) else { return }
        let (logger, signer, origin) = (self.logger, self.signer, self.origin)
        let size = try await store.client.committing(logger: logger) { connection -> Int64 in
            let latest = try await EventStore.checkpoint(
                on: connection.query("SELECT size, root, note FROM log_checkpoint FOR UPDATE", logger: logger)
            )
            if let latest, latest.size >= frontier.size { return latest.size }
            if let latest, latest.size > 0 {
                let needed = MerkleTree<Never>.neededSubtrees { _ = $0.root(size: latest.size) }
                let hashes = try await EventStore.subtreeHashes(needed) {
                    try await connection.query($0, logger: logger)
                }
                let root = MerkleTree<Never> { hashes[$0] ?? TreeHash.empty }.root(size: latest.size)
                guard root == latest.root else {
                    throw TreeRefusal(
                        message:
                            "the stored tree at the signed size \(latest.size) has root \(root.base64), not the signed \(latest.root.base64)"
                    )
                }
            }
            let checkpoint = Checkpoint(origin: origin, size: frontier.size, root: frontier.root)
            let note = try SignedNote.sign(checkpoint.body, with: signer)
            try await connection.query(
                """
                INSERT INTO log_checkpoint (size, root, note, signed_at)
                VALUES (\(checkpoint.size), \(ByteBuffer(bytes: checkpoint.root.bytes)), \(note), now())
                ON CONFLICT (singleton) DO UPDATE SET size = EXCLUDED.size, root = EXCLUDED.root,
                    note = EXCLUDED.note, signed_at = EXCLUDED.signed_at
                WHERE log_checkpoint.size < EXCLUDED.size
                """,
                logger: logger
            )
            return checkpoint.size
        }
        signed.withLock { $0 = max($0, size) }
        signedWatcher.advance(to: size)
    }

    /// Returns once this builder has seen a signed checkpoint of at least `size` events (its own or
    /// another process's), or after `timeout`; answers whether it has.
    public func waitForCheckpoint(covering size: Int64, timeout: Duration) async -> Bool {
        await signedWatcher.wait(after: size - 1, timeout: timeout)
        return signed.withLock { $0 } >= size
    }

    /// The frontier of the stored tree of `size` leaves.
    static func frontier(size: Int64, on connection: PostgresConnection, logger: Logger) async throws -> TreeFrontier {
        let shape = TreeFrontier.subtrees(ofSize: size)
        let hashes = try await EventStore.subtreeHashes(shape) { try await connection.query($0, logger: logger) }
        guard let frontier = TreeFrontier(size: size, hashes: shape.compactMap { hashes[$0] }) else {
            throw TreeRefusal(message: "the stored tree of size \(size) lacks hashes of its frontier")
        }
        return frontier
    }
}

/// The builder will not sign: the stored tree contradicts the last signed checkpoint.
public struct TreeRefusal: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
