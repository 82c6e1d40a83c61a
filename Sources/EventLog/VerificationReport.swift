/// The outcome of walking the hash chain.
public struct VerificationReport: Sendable, CustomStringConvertible {
    /// Events whose hash was recomputed and matched.
    public let verifiedCount: Int64
    /// The last position checked (0 if none).
    public let lastPosition: LogPosition
    /// The first place the chain does not hold, if any.
    public let failure: ChainVerifier.Failure?

    public var isIntact: Bool { failure == nil }

    public init(verifiedCount: Int64, lastPosition: LogPosition, failure: ChainVerifier.Failure?) {
        self.verifiedCount = verifiedCount
        self.lastPosition = lastPosition
        self.failure = failure
    }

    public var description: String {
        if let failure { return "chain broken at \(failure)" }
        return "chain intact: \(verifiedCount) events verified up to position \(lastPosition)"
    }
}
