import EventLog
import Foundation
import Synchronization

/// The waiting room of the group-commit writer: appends queue here and leave in batches.
///
/// A batch never holds two requests for one stream or two uses of one event id, so the
/// database function can check each request against the committed log alone; requests that
/// must wait keep their order per stream. Every request has a deadline: `expire` answers
/// those past it, queued or being committed, without waiting for the writer.
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

    /// How much one batch may carry.
    struct Limits: Sendable {
        var maxEvents: Int
        var maxBytes: Int
    }

    private struct State {
        var entries: [Entry] = []
        /// The batch the writer is committing.
        var inFlight: [Entry] = []
        var writerWaiting: CheckedContinuation<Void, Never>?
        var isClosed = false
    }

    private let state = Mutex(State())

    /// Queues `request` and waits for the writer's answer, or for `expire` once `deadline` passed.
    func submit(_ request: AppendRequest, deadline: ContinuousClock.Instant) async -> Outcome {
        await withCheckedContinuation { continuation in
            let reply = Reply(continuation)
            let (accepted, writer) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
                guard !state.isClosed else { return (false, nil) }
                state.entries.append(Entry(request: request, reply: reply, deadline: deadline))
                defer { state.writerWaiting = nil }
                return (true, state.writerWaiting)
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
            defer { state.writerWaiting = nil }
            return state.writerWaiting
        }
        writer?.resume()
    }

    /// The next batch, waiting until one is queued; nil once closed and drained.
    func nextBatch(_ limits: Limits) async -> [Entry]? {
        while true {
            let (batch, isClosed) = state.withLock { state in
                state.inFlight = Self.takeBatch(from: &state.entries, limits)
                return (state.inFlight, state.isClosed)
            }
            if !batch.isEmpty { return batch }
            if isClosed { return nil }
            await withCheckedContinuation { (writer: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    guard state.entries.isEmpty, !state.isClosed else { return true }
                    state.writerWaiting = writer
                    return false
                }
                if resumeNow { writer.resume() }
            }
        }
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

    /// Removes from `entries` the longest batch they allow, first come first served.
    private static func takeBatch(from entries: inout [Entry], _ limits: Limits) -> [Entry] {
        var batch: [Entry] = []
        var rest: [Entry] = []
        var streams = Set<String>()
        var ids = Set<UUID>()
        var events = 0
        var bytes = 0
        for entry in entries {
            let request = entry.request
            let fits =
                batch.isEmpty
                || (events + request.events.count <= limits.maxEvents && bytes + request.byteCount <= limits.maxBytes)
            let isFree =
                !streams.contains(request.stream.rawValue) && request.events.allSatisfy { !ids.contains($0.id) }
            streams.insert(request.stream.rawValue)
            guard fits, isFree else {
                rest.append(entry)
                continue
            }
            batch.append(entry)
            events += request.events.count
            bytes += request.byteCount
            ids.formUnion(request.events.map(\.id))
        }
        entries = rest
        return batch
    }
}
