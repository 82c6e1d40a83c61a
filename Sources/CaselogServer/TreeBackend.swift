public import Application
public import EventLog
public import EventStore
import TransparencyLog

/// The application's transparency port (`TransparencyBackend`) over the event store's stored
/// tree and checkpoint.
public struct TreeBackend: TransparencyBackend {
    public let store: EventStore
    /// The sender of checkpoints to the witnesses, when witnesses are configured.
    public let witnessFeeder: WitnessFeeder?

    public init(store: EventStore, witnessFeeder: WitnessFeeder? = nil) {
        self.store = store
        self.witnessFeeder = witnessFeeder
    }

    public func checkpoint() async throws(CaselogError) -> String? {
        try await map { () async throws(EventLogError) in try await store.latestCheckpoint()?.note }
    }

    public func cosignedCheckpoint() async throws(CaselogError) -> String {
        guard let witnessFeeder else {
            throw CaselogError(.unavailable, "no witnesses are configured: set CASELOG_WITNESSES")
        }
        let stored = try await map { () async throws(EventLogError) in try await witnessFeeder.cosignedCheckpoint() }
        guard let note = stored else {
            throw CaselogError(
                .unavailable,
                "no checkpoint has been cosigned by \(witnessFeeder.quorum) witnesses yet"
            )
        }
        return note
    }

    public func inclusionProof(position: LogPosition, size: Int64?) async throws(CaselogError) -> InclusionProof {
        let latest = try await map { () async throws(EventLogError) in try await store.latestCheckpoint() }
        let size = try await checkedSize(size ?? latest?.size ?? 0, field: "size")
        guard position >= 1, position <= size else {
            throw CaselogError.invalid("position", "must be from 1 to the tree's size, \(size)")
        }
        let leaf = try await map { () async throws(EventLogError) in
            try await store.readAll(from: position, limit: 1).first
        }
        guard let leaf, leaf.position == position else {
            throw CaselogError(.notFound, "position \(position) is not in the log")
        }
        let hashes = try await map { () async throws(EventLogError) in
            try await store.withStoredTree { $0.inclusionProof(index: position - 1, size: size) }
        }
        return InclusionProof(
            position: position,
            size: size,
            leaf: leaf.hash,
            hashes: hashes.map { $0.bytes },
            checkpoint: latest?.size == size ? latest?.note : nil
        )
    }

    public func consistencyProof(from old: Int64, to new: Int64) async throws(CaselogError) -> [[UInt8]] {
        let new = try await checkedSize(new, field: "new")
        guard old >= 0, old <= new else { throw CaselogError.invalid("old", "must be from 0 to new, \(new)") }
        return try await map { () async throws(EventLogError) in
            try await store.withStoredTree { $0.consistencyProof(oldSize: old, newSize: new) }.map { $0.bytes }
        }
    }

    public func levelHashes(level: Int, from index: Int64, count: Int) async throws(CaselogError) -> [[UInt8]]? {
        try await map { () async throws(EventLogError) in
            try await store.levelHashes(level: level, from: index, count: count)?.map { $0.bytes }
        }
    }

    public func leafData(from index: Int64, count: Int) async throws(CaselogError) -> [[UInt8]]? {
        try await map { () async throws(EventLogError) in try await store.leafData(from: index, count: count) }
    }

    /// `size` when the stored tree covers it.
    private func checkedSize(_ size: Int64, field: String) async throws(CaselogError) -> Int64 {
        let stored = try await map { () async throws(EventLogError) in try await store.treeSize() }
        guard size >= 1, size <= stored else {
            throw CaselogError.invalid(field, "must be a tree size from 1 to \(stored), the events the tree covers")
        }
        return size
    }

    private func map<Value>(_ body: () async throws(EventLogError) -> Value) async throws(CaselogError) -> Value {
        do {
            return try await body()
        } catch {
            throw CaselogError(error)
        }
    }
}
