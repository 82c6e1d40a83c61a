public import EventLog

extension EventStore {
    /// Recomputes the hash chain from `position` (after the event before it) through `end`
    /// or the head, in batches; `progress` is told the position reached and the target. A start
    /// after the head is `INVALID`.
    public func verify(
        from position: LogPosition = 1,
        through end: LogPosition? = nil,
        batchSize: Int = 5000,
        progress: (LogPosition, LogPosition) -> Void = { _, _ in }
    ) async throws(EventLogError) -> VerificationReport {
        let head = try await head()
        guard position <= head.position + 1 else {
            throw EventLogError(.invalid, "from: \(position) is after the log's last position, \(head.position)")
        }
        let target = min(end ?? head.position, head.position)
        var verifier = try await verifierStarting(at: max(1, position))
        var next = max(1, position)
        while next <= target {
            let events = try await readAll(from: next, limit: min(batchSize, Int(target - next + 1)))
            for event in events where event.position <= target {
                if let failure = verifier.verify(event) {
                    return VerificationReport(
                        verifiedCount: verifier.verifiedCount,
                        lastPosition: event.position,
                        failure: failure
                    )
                }
            }
            guard let last = events.last else { break }
            next = last.position + 1
            progress(min(last.position, target), target)
        }
        var failure: ChainVerifier.Failure?
        if verifier.nextPosition <= target {
            failure = ChainVerifier.Failure(
                position: verifier.nextPosition,
                reason: "missing: the log ends at position \(verifier.nextPosition - 1) before the head \(target)"
            )
        } else if end == nil || target == head.position {
            failure = verifier.verifyEnd(at: head)
        }
        return VerificationReport(
            verifiedCount: verifier.verifiedCount,
            lastPosition: verifier.nextPosition - 1,
            failure: failure
        )
    }

    /// A verifier primed with the stored hash of the event before `position`.
    private func verifierStarting(at position: LogPosition) async throws(EventLogError) -> ChainVerifier {
        guard position > 1 else { return ChainVerifier() }
        guard let previous = try await readAll(from: position - 1, limit: 1).first, previous.position == position - 1
        else {
            throw EventLogError(.notFound, "from: position \(position - 1) is not in the log")
        }
        return ChainVerifier(after: previous.position, hash: previous.hash)
    }
}
