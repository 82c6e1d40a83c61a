/// Checks an exported history offline, event by event, by the recipe of `docs/integrity.md`.
///
/// Every event's hash must be SHA-256 over its `prev_hash` and its canonical bytes, and where an
/// event follows the one before it in the log (position + 1) its `prev_hash` must be that event's
/// hash. A filtered export (one stream, one type) has gaps: each run of consecutive positions is
/// checked as a chain, and the run's first `prev_hash` is what the file states (the genesis hash
/// when the run starts at position 1).
public struct HistoryVerifier: Sendable {
    private var chain: ChainVerifier?
    /// Events whose hashes hold.
    public private(set) var verifiedCount: Int64 = 0
    /// Runs of consecutive positions; 1 for a whole export of a range.
    public private(set) var runs = 0
    /// The first and last positions seen.
    public private(set) var firstPosition: LogPosition?
    public private(set) var lastPosition: LogPosition?
    /// The hash of the last event seen.
    public private(set) var lastHash: [UInt8] = EventChain.genesisHash

    public init() {}

    /// Checks the next event of the file; returns the failure if it does not hold.
    public mutating func verify(_ event: RecordedEvent) -> ChainVerifier.Failure? {
        if let lastPosition, event.position <= lastPosition {
            return .init(position: event.position, reason: "out of order: follows position \(lastPosition)")
        }
        if lastPosition.map({ event.position != $0 + 1 }) ?? true {
            chain = ChainVerifier(
                after: event.position - 1,
                hash: event.position == 1 ? EventChain.genesisHash : event.previousHash
            )
            runs += 1
        }
        guard var chain else { return nil }
        if let failure = chain.verify(event) { return failure }
        self.chain = chain
        verifiedCount += 1
        firstPosition = firstPosition ?? event.position
        lastPosition = event.position
        lastHash = event.hash
        return nil
    }
}
