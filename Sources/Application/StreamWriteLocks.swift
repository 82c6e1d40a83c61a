public import EventLog
import Synchronization

/// One writer at a time per stream within this server: commands on one stream queue up in
/// arrival order instead of racing each other for the next version (a writer that skips the
/// read because its history is cached would otherwise win every race).
public final class StreamWriteLocks: Sendable {
    private typealias Waiter = CheckedContinuation<Void, Never>

    /// The streams being written, each with the writers waiting for it in order.
    private let held = Mutex<[String: [Waiter]]>([:])

    public init() {}

    /// Runs `body` once no other writer of `stream` in this server is running.
    public func withLock<Value, Failure: Error>(
        _ stream: StreamName,
        _ body: () async throws(Failure) -> Value
    ) async throws(Failure) -> Value {
        await acquire(stream.rawValue)
        defer { release(stream.rawValue) }
        return try await body()
    }

    /// Runs `body` once no other writer of any of `streams` in this server is running; the locks
    /// are taken in name order, so two writers of overlapping sets never wait for each other in a circle.
    public func withLocks<Value, Failure: Error>(
        _ streams: Set<StreamName>,
        _ body: () async throws(Failure) -> Value
    ) async throws(Failure) -> Value {
        let keys = streams.map(\.rawValue).sorted()
        for key in keys { await acquire(key) }
        defer { for key in keys { release(key) } }
        return try await body()
    }

    private func acquire(_ key: String) async {
        await withCheckedContinuation { (waiter: Waiter) in
            let isFree = held.withLock { held in
                guard held[key] != nil else {
                    held[key] = []
                    return true
                }
                held[key]!.append(waiter)
                return false
            }
            if isFree { waiter.resume() }
        }
    }

    /// Hands the stream to the next waiting writer, or frees it.
    private func release(_ key: String) {
        let next = held.withLock { held -> Waiter? in
            guard var waiters = held[key], !waiters.isEmpty else {
                held[key] = nil
                return nil
            }
            let next = waiters.removeFirst()
            held[key] = waiters
            return next
        }
        next?.resume()
    }
}
