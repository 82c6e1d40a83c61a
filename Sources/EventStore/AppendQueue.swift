import EventLog
import Foundation
import Synchronization

/// The waiting room of the group-commit writer: appends queue here and leave in batches.
///
/// A batch never holds two requests for one stream or two uses of one event id, so the
/// database can check each request against the log as the batches before it left it; requests
/// that must wait keep their order per stream. Every request has a deadline: `expire` answers
/// those past it, queued or being committed, without waiting for the writer.
///
/// One commit runs at a time: the writer's batch, or an append that found the writer idle and
/// commits alone in its own task (`claimAlone`). Whoever commits holds the commit slot until it
/// settles (`settle`).
final class AppendQueue: Sendable {
    typealias Outcome = Result<AppendResult, EventLogError>

    struct Entry: Sendable {
        let request: AppendRequest
        let reply: Reply
        let deadline: ContinuousClock.Instant
    }

    /// The waiting appender, answered once: by the writer or by expiry, whichever comes first.
    final class Reply: Sendable {
        private let continuation: Mutex<CheckedContinuation<Outcome, Never>?>

        init(_ continuation: CheckedContinuation<Outcome, Never>) {
            self.continuation = Mutex(continuation)
        }

        func resume(returning outcome: Outcome) {
            let waiting = continuation.withLock { continuation in
                defer { continuation = nil }
                return continuation
            }
            waiting?.resume(returning: outcome)
        }
    }

    /// Who holds the commit slot.
    enum Committer {
        /// The writer, committing its batch.
        case batch
        /// An append committing alone in its own task.
        case alone
    }

    /// How much one batch may carry.
    struct Limits: Sendable {
        var maxEvents: Int
        var maxBytes: Int
    }

    /// A batch being gathered: entries taken from the queue, never two for one stream nor two
    /// uses of one event id, within the writer's limits.
    struct Batch {
        private(set) var entries: [Entry] = []
        private var streams = Set<String>()
        private var ids = Set<UUID>()
        private var events = 0
        private var bytes = 0

        var isEmpty: Bool { entries.isEmpty }

        /// Adds `entry` if the batch can take it.
        fileprivate mutating func add(_ entry: Entry, _ limits: Limits) -> Bool {
            let request = entry.request
            let fits =
                entries.isEmpty
                || (events + request.events.count <= limits.maxEvents && bytes + request.byteCount <= limits.maxBytes)
            let isFree =
                !streams.contains(request.stream.rawValue) && request.events.allSatisfy { !ids.contains($0.id) }
            // A stream passed over keeps its later requests out too, so they stay in order.
            streams.insert(request.stream.rawValue)
            guard fits, isFree else { return false }
            entries.append(entry)
            events += request.events.count
            bytes += request.byteCount
            ids.formUnion(request.events.map(\.id))
            return true
        }
    }

    private struct State {
        var entries: [Entry] = []
        /// The entries taken by the writer and not answered yet.
        var inFlight: [Entry] = []
        var writerWaiting: CheckedContinuation<Void, Never>?
        /// Something happened since the writer last waited: an append, `settle` or `close`.
        var hasNews = false
        var isClosed = false
        /// Who holds the commit slot, if anyone.
        var committer: Committer?
        /// Appends waiting to commit alone (`claimAloneWhenFree`), first come first served.
        var waitingAlone: [CheckedContinuation<Bool, Never>] = []

        /// Tells the writer there is news; returns the writer to resume, if it waits.
        mutating func signal() -> CheckedContinuation<Void, Never>? {
            guard let writer = writerWaiting else {
                hasNews = true
                return nil
            }
            writerWaiting = nil
            return writer
        }
    }

    private let state = Mutex(State())

    /// Queues `request` and waits for the writer's answer, or for `expire` once `deadline` passed.
    func submit(_ request: AppendRequest, deadline: ContinuousClock.Instant) async -> Outcome {
        await withCheckedContinuation { continuation in
            let reply = Reply(continuation)
            let (accepted, writer) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
                guard !state.isClosed else { return (false, nil) }
                state.entries.append(Entry(request: request, reply: reply, deadline: deadline))
                return (true, state.signal())
            }
            if accepted {
                writer?.resume()
            } else {
                reply.resume(returning: .failure(EventLogError(.unavailable, "the event store is shutting down")))
            }
        }
    }

    /// Stops taking new appends; the writer still drains what is queued.
    func close() {
        let writer = state.withLock { state in
            state.isClosed = true
            return state.signal()
        }
        writer?.resume()
    }

    /// Appends queued or taken into a batch and not yet answered.
    var unanswered: Int {
        state.withLock { $0.entries.count + $0.inFlight.count }
    }

    /// Whether the queue is closed, nothing is left in it and nothing commits.
    var isDrained: Bool {
        state.withLock { $0.isClosed && $0.entries.isEmpty && $0.committer == nil }
    }

    /// Takes the commit slot for one append to commit alone, if the writer is idle: nothing
    /// queued, nothing taken and not answered, nothing committing, and the queue open.
    func claimAlone() -> Bool {
        state.withLock { state in
            guard !state.isClosed, state.entries.isEmpty, state.inFlight.isEmpty, state.committer == nil else {
                return false
            }
            state.committer = .alone
            return true
        }
    }

    /// Takes the commit slot for one append to commit alone as soon as the slot is free, queued
    /// appends or not (an atomic append cannot join the writer's batches); false when the queue
    /// closed first. Waiting appends take the slot before the writer's next batch.
    func claimAloneWhenFree() async -> Bool {
        await withCheckedContinuation { (waiter: CheckedContinuation<Bool, Never>) in
            let claimed: Bool? = state.withLock { state in
                guard !state.isClosed else { return false }
                guard state.committer == nil else {
                    state.waitingAlone.append(waiter)
                    return nil
                }
                state.committer = .alone
                return true
            }
            if let claimed { waiter.resume(returning: claimed) }
        }
    }

    /// Takes the commit slot for the writer's batch, if it is free.
    func claimForBatch() -> Bool {
        state.withLock { state in
            guard state.committer == nil else { return false }
            state.committer = .batch
            return true
        }
    }

    /// Who holds the commit slot, if anyone: a batch is always the writer's latest.
    var committer: Committer? {
        state.withLock { $0.committer }
    }

    /// Frees the commit slot once the commit holding it has settled, and wakes the writer; an
    /// append waiting to commit alone takes the slot first.
    func settle() {
        let (alone, writer) = state.withLock {
            state -> (CheckedContinuation<Bool, Never>?, CheckedContinuation<Void, Never>?) in
            guard state.waitingAlone.isEmpty else {
                state.committer = .alone
                return (state.waitingAlone.removeFirst(), nil)
            }
            state.committer = nil
            return (nil, state.signal())
        }
        alone?.resume(returning: true)
        writer?.resume()
    }

    /// Returns once something happened since the last return: an append, `settle` or `close`.
    func waitForNews() async {
        await withCheckedContinuation { (writer: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state in
                guard !state.hasNews else {
                    state.hasNews = false
                    return true
                }
                state.writerWaiting = writer
                return false
            }
            if resumeNow { writer.resume() }
        }
    }

    /// Moves into `batch` the queued entries it can take, first come first served; returns how
    /// many it took.
    @discardableResult
    func take(into batch: inout Batch, _ limits: Limits) -> Int {
        state.withLock { state in
            var rest: [Entry] = []
            let before = batch.entries.count
            for entry in state.entries where !batch.add(entry, limits) {
                rest.append(entry)
            }
            state.entries = rest
            state.inFlight.append(contentsOf: batch.entries[before...])
            return batch.entries.count - before
        }
    }

    /// Forgets `entries` once the writer has answered them.
    func answered(_ entries: [Entry]) {
        let done = Set(entries.map { ObjectIdentifier($0.reply) })
        state.withLock { $0.inFlight.removeAll { done.contains(ObjectIdentifier($0.reply)) } }
    }

    /// Answers `error` to every request past its deadline at `now`: queued ones leave the queue
    /// (they will not commit); one being committed may still commit. Returns how many expired.
    @discardableResult
    func expire(at now: ContinuousClock.Instant, with error: EventLogError) -> Int {
        let expired = state.withLock { state in
            let expired = (state.entries + state.inFlight).filter { $0.deadline <= now }
            if !expired.isEmpty {
                state.entries.removeAll { $0.deadline <= now }
                state.inFlight.removeAll { $0.deadline <= now }
            }
            return expired
        }
        for entry in expired { entry.reply.resume(returning: .failure(error)) }
        return expired.count
    }
}
