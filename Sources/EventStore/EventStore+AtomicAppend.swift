public import EventLog
import Foundation

extension EventStore {
    /// Appends to many streams in one transaction: every request's events, each request checked
    /// against its own expected version, or nothing at all.
    ///
    /// Each stream may appear in one request only, and an event id once. Preconditions (streams
    /// the append reads but does not write, each at a stated version) may ride on any request and
    /// refuse the whole append, naming their stream, when one does not hold. The append commits alone
    /// (not grouped with other appends, which must not fail with it), after the commit under way.
    /// A refused request fails the whole append with its error, `request` naming its index:
    /// `WRONGVERSION` (expected vs actual, naming the stream) or `CONFLICT` (an event id already
    /// used with other content). Re-sending the same events returns the original positions.
    /// Throws `INVALID`, `TOOLARGE` or `UNAVAILABLE` for the append as a whole.
    public func append(atomically requests: [AppendRequest]) async throws(EventLogError) -> [AppendResult] {
        try validate(atomic: requests)
        try availability.requireReachable()
        let deadline = ContinuousClock.now + configuration.appendTimeout
        guard await queue.claimAloneWhenFree() else {
            throw EventLogError(.unavailable, "the event store is shutting down")
        }
        let outcome = await commit(requests, prebuilt: nil, until: deadline, atomic: true)
        queue.settle()
        let outcomes = try outcome.get()
        announce(outcomes)
        return try outcomes.map { outcome throws(EventLogError) in try outcome.get() }
    }

    private func validate(atomic requests: [AppendRequest]) throws(EventLogError) {
        guard !requests.isEmpty else { throw .invalid("requests", "an atomic append needs at least one request") }
        let total = requests.reduce(0) { $0 + $1.events.count }
        guard total <= configuration.maxEventsPerAtomicAppend else {
            throw EventLogError(
                .tooLarge,
                "events: \(total) in one atomic append is over the limit of \(configuration.maxEventsPerAtomicAppend)"
            )
        }
        var streams: [StreamName: Int] = [:]
        var ids = Set<UUID>()
        for (index, request) in requests.enumerated() {
            do {
                try validate(
                    AppendRequest(stream: request.stream, expected: request.expected, events: request.events)
                )
            } catch {
                throw EventLogError(error.code, "request \(index) (stream \(request.stream)): \(error.message)")
                    .refusing(request: index)
            }
            if let earlier = streams.updateValue(index, forKey: request.stream) {
                throw EventLogError.invalid(
                    "stream",
                    "\(request.stream) appears in requests \(earlier) and \(index); give each stream one request"
                ).refusing(request: index)
            }
            for event in request.events where !ids.insert(event.id).inserted {
                throw EventLogError.invalid("id", "event id \(event.id) appears twice in one atomic append")
                    .refusing(request: index)
            }
        }
        // Preconditions are checked across the whole append: each on a stream it does not write,
        // once, whichever request carries it.
        try validate(
            requests.flatMap(\.preconditions),
            besides: Set(streams.keys),
            limit: configuration.maxEventsPerAtomicAppend
        )
    }
}

/// Why an atomic append appended nothing: the refused request's error (`request` set) and the
/// log's head, which the refusal left where it was, when known.
struct AtomicRefusal: Error {
    let error: EventLogError
    let head: KnownHead?

    /// `error` with the stream named, when its message does not name it already.
    static func naming(_ stream: StreamName, in error: EventLogError) -> EventLogError {
        error.code == .wrongVersion ? error : EventLogError(error.code, "stream \(stream): \(error.message)")
    }
}
