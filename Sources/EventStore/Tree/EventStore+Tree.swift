public import EventLog
import NIOCore
import PostgresNIO
public import TransparencyLog

/// The latest signed checkpoint the log stored.
public struct StoredCheckpoint: Sendable, Hashable {
    public let size: Int64
    public let root: TreeHash
    /// The signed note, byte for byte as signed.
    public let note: String
}

extension EventStore {
    /// How many leaves (events) the stored tree hashes cover.
    public func treeSize() async throws(EventLogError) -> Int64 {
        try await database { [client, logger] in
            let rows = try await client.query("SELECT size FROM log_tree", logger: logger)
            for try await size in rows.decode(Int64.self) { return size }
            return 0
        }
    }

    /// The latest signed checkpoint, if the log has signed one.
    public func latestCheckpoint() async throws(EventLogError) -> StoredCheckpoint? {
        try await database { [client, logger] in
            try await Self.checkpoint(on: client.query("SELECT size, root, note FROM log_checkpoint", logger: logger))
        }
    }

    /// The latest checkpoint a quorum of witnesses cosigned, as stored (`storeCosignedCheckpoint`):
    /// its size and note, unverified.
    public func cosignedCheckpoint() async throws(EventLogError) -> (size: Int64, note: String)? {
        try await database { [client, logger] in
            let rows = try await client.query("SELECT size, note FROM log_cosigned_checkpoint", logger: logger)
            for try await (size, note) in rows.decode((Int64, String).self) { return (size, note) }
            return nil
        }
    }

    /// Stores `note`, a checkpoint of `size` events with the cosignatures of a quorum of witnesses,
    /// unless one of that size or larger is stored; the caller has verified it.
    public func storeCosignedCheckpoint(size: Int64, note: String) async throws(EventLogError) {
        _ = try await database { [client, logger] in
            try await client.query(
                """
                INSERT INTO log_cosigned_checkpoint (size, note, cosigned_at) VALUES (\(size), \(note), now())
                ON CONFLICT (singleton) DO UPDATE SET size = EXCLUDED.size, note = EXCLUDED.note,
                    cosigned_at = EXCLUDED.cosigned_at
                WHERE log_cosigned_checkpoint.size < EXCLUDED.size
                """,
                logger: logger
            )
            return ()
        }
    }

    /// The stored hashes of `subtrees`; `NOTFOUND` when one is not stored (outside the tree).
    public func subtreeHashes(_ subtrees: [Subtree]) async throws(EventLogError) -> [Subtree: TreeHash] {
        let found = try await database { [client, logger] in
            try await Self.subtreeHashes(subtrees, query: { try await client.query($0, logger: logger) })
        }
        for subtree in subtrees where found[subtree] == nil {
            throw EventLogError(.notFound, "tree hash \(subtree) is not stored")
        }
        return found
    }

    /// Runs `body` (a root or proof computation) over the stored tree hashes, fetched in one query.
    public func withStoredTree<Value>(
        _ body: (MerkleTree<Never>) -> Value
    ) async throws(EventLogError) -> Value {
        let hashes = try await subtreeHashes(MerkleTree<Never>.neededSubtrees { _ = body($0) })
        return body(MerkleTree { hashes[$0] ?? TreeHash.empty })
    }

    static func subtreeHashes(
        _ subtrees: [Subtree],
        query: (PostgresQuery) async throws -> PostgresRowSequence
    ) async throws -> [Subtree: TreeHash] {
        guard !subtrees.isEmpty else { return [:] }
        let rows = try await query(
            """
            SELECT h.level::bigint, h.index, h.hash
            FROM log_tree_hashes h
            JOIN unnest(\(subtrees.map { Int64($0.level) }), \(subtrees.map(\.index))) AS s(level, index)
              ON h.level = s.level AND h.index = s.index
            """
        )
        var hashes: [Subtree: TreeHash] = [:]
        for try await (level, index, hash) in rows.decode((Int64, Int64, ByteBuffer).self) {
            hashes[Subtree(level: Int(level), index: index)] = TreeHash(bytes: Array(buffer: hash))
        }
        return hashes
    }

    static func checkpoint(on rows: PostgresRowSequence) async throws -> StoredCheckpoint? {
        for try await (size, root, note) in rows.decode((Int64, ByteBuffer, String).self) {
            guard let root = TreeHash(bytes: Array(buffer: root)) else { return nil }
            return StoredCheckpoint(size: size, root: root, note: note)
        }
        return nil
    }
}

extension EventStore {
    /// The stored hashes of tree level `level` from `index` on, `count` of them, in order; nil
    /// unless every one is stored.
    public func levelHashes(level: Int, from index: Int64, count: Int) async throws(EventLogError) -> [TreeHash]? {
        let rows: [TreeHash] = try await database { [client, logger] in
            let rows = try await client.query(
                """
                SELECT hash FROM log_tree_hashes
                WHERE level = \(Int16(level)) AND index >= \(index) AND index < \(index + Int64(count))
                ORDER BY index
                """,
                logger: logger
            )
            var hashes: [TreeHash] = []
            for try await hash in rows.decode(ByteBuffer.self) {
                if let hash = TreeHash(bytes: Array(buffer: hash)) { hashes.append(hash) }
            }
            return hashes
        }
        return rows.count == count ? rows : nil
    }

    /// The chain hashes (the leaves' data) of leaf indices `index ..< index + count`, when the
    /// stored tree covers them all; else nil.
    public func leafData(from index: Int64, count: Int) async throws(EventLogError) -> [[UInt8]]? {
        guard index + Int64(count) <= (try await treeSize()) else { return nil }
        let events = try await readAll(from: index + 1, limit: count)
        guard events.count == count, events.first?.position == index + 1 else { return nil }
        return events.map(\.hash)
    }
}
