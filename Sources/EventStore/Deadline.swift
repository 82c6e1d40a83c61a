import Synchronization

/// Runs an operation with a time limit, returning as soon as the limit passes even when the
/// operation itself does not react to cancellation (a connection lease, a stalled socket).
enum Deadline {
    struct Exceeded: Error {}

    /// The result of `operation`, or `Exceeded` once `limit` has passed (the operation is then cancelled).
    static func run<Value: Sendable>(
        _ limit: Duration,
        _ operation: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        let outcome = Outcome<Value>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                outcome.start(continuation, limit: limit, operation: operation)
            }
        } onCancel: {
            outcome.finish(.failure(CancellationError()))
        }
    }

    /// Whichever of the operation, the timer and the caller's cancellation finishes first answers.
    private final class Outcome<Value: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<Value, any Error>?
            var result: Result<Value, any Error>?
            var tasks: [Task<Void, Never>] = []
        }

        private let state = Mutex(State())

        func start(
            _ continuation: CheckedContinuation<Value, any Error>,
            limit: Duration,
            operation: @escaping @Sendable () async throws -> Value
        ) {
            let work = Task {
                do {
                    self.finish(.success(try await operation()))
                } catch {
                    self.finish(.failure(error))
                }
            }
            let timer = Task {
                guard (try? await Task.sleep(for: limit)) != nil else { return }
                self.finish(.failure(Exceeded()))
            }
            state.withLock { state in
                state.continuation = continuation
                state.tasks = [work, timer]
            }
            resumeIfFinished()
        }

        /// Records the first result; later ones are ignored.
        func finish(_ result: Result<Value, any Error>) {
            state.withLock { state in
                if state.result == nil { state.result = result }
            }
            resumeIfFinished()
        }

        private func resumeIfFinished() {
            let ready = state.withLock {
                state -> (CheckedContinuation<Value, any Error>, Result<Value, any Error>, [Task<Void, Never>])? in
                guard let continuation = state.continuation, let result = state.result else { return nil }
                defer {
                    state.continuation = nil
                    state.tasks = []
                }
                return (continuation, result, state.tasks)
            }
            guard let (continuation, result, tasks) = ready else { return }
            for task in tasks { task.cancel() }
            continuation.resume(with: result)
        }
    }
}
