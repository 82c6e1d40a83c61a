public import EventLog
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// Knows the latest committed position (or another growing size) and wakes whoever waits for it to grow.
///
/// This process's writer reports its own commits directly; commits of other processes arrive
/// via PostgreSQL `LISTEN caselog_events`, with a periodic look at the head as a fallback.
public final class HeadWatcher: Sendable {
    private struct Waiter {
        let after: LogPosition
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var head: LogPosition = 0
        var waiters: [UUID: Waiter] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// Records that the log reached `position`, waking the waiters it satisfies.
    public func advance(to position: LogPosition) {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard position > state.head else { return [] }
            state.head = position
            let satisfied = state.waiters.filter { $0.value.after < position }
            for key in satisfied.keys { state.waiters[key] = nil }
            return satisfied.values.map(\.continuation)
        }
        for continuation in ready { continuation.resume() }
    }

    /// Returns when the head is past `position`, after `timeout`, or on cancellation.
    public func wait(after position: LogPosition, timeout: Duration) async {
        let id = UUID()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withTaskCancellationHandler {
                    await withCheckedContinuation { continuation in
                        let resumeNow = self.state.withLock { state in
                            guard state.head <= position, !Task.isCancelled else { return true }
                            state.waiters[id] = Waiter(after: position, continuation: continuation)
                            return false
                        }
                        if resumeNow { continuation.resume() }
                    }
                } onCancel: {
                    self.state.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume()
                }
            }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Follows other processes' commits until cancelled: LISTEN, with a look at the head
    /// (`readHead`) once LISTEN holds (so a commit made before it is not missed) and every `interval`.
    func follow(
        client: PostgresClient,
        interval: Duration,
        logger: Logger,
        readHead: @escaping @Sendable () async throws -> LogPosition
    ) async {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: "caselog_events") { notifications in
                        self.advance(to: try await readHead())
                        try await withThrowingTaskGroup(of: Void.self) { group in
                            group.addTask {
                                for try await notification in notifications {
                                    if let position = Int64(notification.payload) { self.advance(to: position) }
                                }
                            }
                            group.addTask {
                                while !Task.isCancelled {
                                    try await Task.sleep(for: interval)
                                    self.advance(to: try await readHead())
                                }
                            }
                            try await group.next()
                            group.cancelAll()
                        }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.debug("following the log head failed; retrying", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
