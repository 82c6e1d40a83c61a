import EventLog
import Foundation
import Synchronization

/// The waiting room of the group-commit writer: appends queue here and leave in batches.
///
/// A batch never holds two requests for one stream or two uses of one event id, so the
/// database function can check each request against the committed log alone; requests that
/// must wait keep their order per stream.
final class AppendQueue: Sendable {
    typealias Reply = CheckedContinuation<Result<AppendResult, EventLogError>, Never>

    struct Entry: Sendable {
        let request: AppendRequest
        let reply: Reply
    }

    /// How much one batch may carry.
    struct Limits: Sendable {
        var maxEvents: Int
        var maxBytes: Int
    }

    private struct State {
        var entries: [Entry] = []
        var writerWaiting: CheckedContinuation<Void, Never>?
        var isClosed = false
    }

    private let state = Mutex(State())

    /// Queues `request` and waits for the writer's answer.
    func submit(_ request: AppendRequest) async -> Result<AppendResult, EventLogError> {
        await withCheckedContinuation { (reply: Reply) in
            let (accepted, writer) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
                guard !state.isClosed else { return (false, nil) }
                state.entries.append(Entry(request: request, reply: reply))
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
                (Self.takeBatch(from: &state.entries, limits), state.isClosed)
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
