import EventLog
import Logging
import PostgresNIO
import Synchronization

/// Whether the database answers, so that requests fail promptly with `UNAVAILABLE` while it
/// does not, and succeed again by themselves once it is back.
///
/// A request that loses its connection marks the database unreachable; from then on requests
/// fail at once while one background probe asks `SELECT 1` until it answers. A request that
/// only takes too long (a busy database is not a lost one) starts the probe without marking
/// anything: the database counts as unreachable only if the probe gets no answer either, and
/// no request was answered while the probe waited.
final class DatabaseAvailability: Sendable {
    private struct State {
        var reachable = true
        var probing = false
        var stopped = false
    }

    private let state = Mutex(State())
    /// How many requests the database has answered; a probe that failed while this grew is outdated.
    private let answers = Atomic<Int>(0)
    private let client: PostgresClient
    private let timeout: Duration
    private let logger: Logger

    init(client: PostgresClient, timeout: Duration, logger: Logger) {
        self.client = client
        self.timeout = timeout
        self.logger = logger
    }

    /// Runs `operation` within the database timeout, or fails at once while the database is unreachable.
    func run<Value: Sendable>(
        _ operation: @escaping @Sendable () async throws -> Value
    ) async throws(EventLogError) -> Value {
        try requireReachable()
        do {
            let value = try await Deadline.run(timeout, operation)
            noteAnswered()
            return value
        } catch is Deadline.Exceeded {
            startProbe(markingUnreachable: false)
            throw EventLogError(.unavailable, "the database did not answer within \(timeout)")
        } catch {
            let mapped = DatabaseError.map(error, logger: logger)
            if mapped.code == .unavailable, !(error is CancellationError), !Task.isCancelled {
                startProbe(markingUnreachable: true)
            }
            throw mapped
        }
    }

    /// Records that the database answered a request.
    func noteAnswered() {
        answers.add(1, ordering: .relaxed)
    }

    /// Fails with `UNAVAILABLE` while the database is marked unreachable.
    func requireReachable() throws(EventLogError) {
        guard state.withLock({ $0.reachable }) else {
            throw EventLogError(.unavailable, "the database is unreachable; retrying in the background")
        }
    }

    /// Starts the background probe unless it runs; `markingUnreachable` after a lost connection
    /// (requests fail at once until the probe is answered), not after a merely slow answer.
    func startProbe(markingUnreachable: Bool) {
        let start = state.withLock { state in
            if markingUnreachable { state.reachable = false }
            defer { state.probing = true }
            return !state.probing
        }
        guard start else { return }
        Task { await probeUntilReachable() }
    }

    /// Ends the background probe; called when the store stops.
    func stop() {
        state.withLock { $0.stopped = true }
    }

    private func probeUntilReachable() async {
        var warned = false
        while !state.withLock({ $0.stopped }) {
            let answersBefore = answers.load(ordering: .relaxed)
            let answered =
                (try? await Deadline.run(timeout) { [client] in
                    try await client.query("SELECT 1").collect()
                }) != nil
            if answered || answers.load(ordering: .relaxed) != answersBefore { break }
            state.withLock { $0.reachable = false }
            if !warned {
                logger.warning("the database is unreachable; answering UNAVAILABLE until it is back")
                warned = true
            }
            try? await Task.sleep(for: .milliseconds(250))
        }
        state.withLock { state in
            state.reachable = true
            state.probing = false
        }
        if warned { logger.notice("the database is reachable again") }
    }
}
