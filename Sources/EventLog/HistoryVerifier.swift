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

    /// Continues after `link`, an event that held: what a verifier that has checked the file up
    /// to that event knows, without its counts (which `absorb` adds).
    init(continuingAfter link: ChainLink) {
        chain = ChainVerifier(after: link.position, hash: link.hash)
        lastPosition = link.position
        lastHash = link.hash
    }

    /// Checks the next event of the file; returns the failure if it does not hold.
    public mutating func verify(_ event: RecordedEvent) -> ChainVerifier.Failure? {
        verify(ChainLink(event)) { EventChain.hash(of: event, after: event.previousHash) == event.hash }
    }

    /// Checks the next event of the file by its link; `contentHolds` as for `ChainVerifier`.
    mutating func verify(_ link: ChainLink, contentHolds: () -> Bool) -> ChainVerifier.Failure? {
        if let lastPosition, link.position <= lastPosition {
            return .init(position: link.position, reason: "out of order: follows position \(lastPosition)")
        }
        if lastPosition.map({ link.position != $0 + 1 }) ?? true {
            chain = ChainVerifier(
                after: link.position - 1,
                hash: link.position == 1 ? EventChain.genesisHash : link.previousHash
            )
            runs += 1
        }
        guard var chain else { return nil }
        if let failure = chain.verify(link, contentHolds: contentHolds) { return failure }
        self.chain = chain
        verifiedCount += 1
        firstPosition = firstPosition ?? link.position
        lastPosition = link.position
        lastHash = link.hash
        return nil
    }

    /// Takes on what `later` found: a verifier that continued (`init(continuingAfter:)`) from
    /// the last event this one checked, over the rest of the file or a part of it.
    mutating func absorb(_ later: HistoryVerifier) {
        chain = later.chain
        verifiedCount += later.verifiedCount
        runs += later.runs
        lastPosition = later.lastPosition
        lastHash = later.lastHash
    }
}
