import NIOCore
import PostgresNIO
import Synchronization

/// Work that lives on one connection: it ends when the work does, or as soon as the connection
/// closes; when the caller is cancelled the connection is closed, and it returns once it is.
///
/// A query sent on a connection PostgreSQL has just terminated (an outage, a restart) may never
/// be answered; such a query must neither stop the worker for good nor hold up the server's
/// shutdown. Work left waiting on a closed connection is cancelled and no longer waited for.
enum ConnectionBound {
    /// The connection closed before the work ended.
    struct Closed: Error {}

    static func run(
        on connection: PostgresConnection,
        _ work: @escaping @Sendable () async throws -> Void
    ) async throws {
        let outcome = Outcome()
        let task = Task {
            do {
                try await work()
                outcome.finish(.success(()))
            } catch {
                outcome.finish(.failure(error))
            }
        }
        connection.closeFuture.whenComplete { _ in
            outcome.finish(.failure(Closed()))
            task.cancel()
        }
        do {
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { outcome.start($0) }
            } onCancel: {
                // Closing ends the wait (through `closeFuture`) even when the work is stuck.
                task.cancel()
                outcome.closing.store(true, ordering: .relaxed)
                connection.close().whenComplete { _ in }
            }
        } catch {
            // A connection being closed must not go back to the pool for someone else to use.
            if outcome.closing.load(ordering: .relaxed) { _ = try? await connection.closeFuture.get() }
            throw error
        }
        if outcome.closing.load(ordering: .relaxed) { _ = try? await connection.closeFuture.get() }
    }

    /// The first of the work's end, the connection's close and cancellation answers the caller.
    private final class Outcome: Sendable {
        /// Whether cancellation asked the connection to close.
        let closing = Atomic<Bool>(false)
        private let state = Mutex<
            (continuation: CheckedContinuation<Void, any Error>?, result: Result<Void, any Error>?)
        >(
            (nil, nil)
        )

        func start(_ continuation: CheckedContinuation<Void, any Error>) {
            let result = state.withLock { state -> Result<Void, any Error>? in
                if state.result == nil { state.continuation = continuation }
                return state.result
            }
            if let result { continuation.resume(with: result) }
        }

        func finish(_ result: Result<Void, any Error>) {
            let continuation = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                guard state.result == nil else { return nil }
                state.result = result
                defer { state.continuation = nil }
                return state.continuation
            }
            continuation?.resume(with: result)
        }
    }
}
