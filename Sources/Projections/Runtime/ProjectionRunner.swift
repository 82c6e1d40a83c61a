public import EventLog
public import EventStore
public import Logging
public import PostgresNIO
public import ReadModels
public import ServiceLifecycle

/// Runs every projection's worker in this process (each active or standing by) and answers
/// operators: status, pause, resume, rebuild.
public final class ProjectionRunner: Service, Sendable {
    /// The most events a worker applies in one transaction (catching up; live batches are smaller).
    public static let defaultBatchSize = 10000

    public let projections: [any Projection]
    private let workers: [ProjectionWorker]
    private let client: PostgresClient
    private let store: EventStore
    private let logger: Logger

    public init(
        projections: [any Projection],
        client: PostgresClient,
        store: EventStore,
        batchSize: Int = ProjectionRunner.defaultBatchSize,
        logger: Logger
    ) {
        self.projections = projections
        self.client = client
        self.store = store
        self.logger = logger
        var configuration = ProjectionWorker.Configuration()
        configuration.batchSize = batchSize
        self.workers = projections.map {
            ProjectionWorker(projection: $0, client: client, store: store, configuration: configuration, logger: logger)
        }
    }

    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            for worker in workers {
                group.addTask { await worker.run() }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }

    /// Every projection's checkpoint, head, lag, rate and state.
    public func statuses() async throws(EventLogError) -> [ProjectionStatus] {
        let head = try await store.head().position
        let checkpoints: [String: Checkpoint]
        do {
            let rows = try await ProjectionCheckpoints.all { query in try await client.query(query, logger: logger) }
            checkpoints = Dictionary(rows.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        } catch {
            throw EventLogError(.unavailable, "could not read the projections' checkpoints")
        }
        var statuses: [ProjectionStatus] = []
        for (projection, worker) in zip(projections, workers) {
            let checkpoint = checkpoints[projection.name]
            let activity = worker.currentActivity
            let position = checkpoint?.position ?? 0
            var status = ProjectionStatus(
                name: projection.name,
                state: Self.state(checkpoint, holdsLock: activity.holdsLock),
                checkpoint: position,
                head: head
            )
            status.rate = activity.rate
            status.rebuildPosition = checkpoint?.rebuildPosition
            status.failedPosition = checkpoint?.failedPosition
            status.failedEventID = checkpoint?.failedEventID
            status.error = checkpoint?.failedError
            status.skips = try await ProjectionSkips.recorded(for: projection.name, in: store)
            if position < head, let oldest = try await store.readAll(from: position + 1, limit: 1).first {
                let waited = Timestamp.now.microsecondsSinceEpoch - oldest.recordedAt.microsecondsSinceEpoch
                status.lagSeconds = max(0, Double(waited) / 1_000_000)
            }
            statuses.append(status)
        }
        return statuses
    }

    private static func state(_ checkpoint: Checkpoint?, holdsLock: Bool) -> String {
        guard let checkpoint else { return "starting" }
        if checkpoint.state != "running" { return checkpoint.state }
        if checkpoint.rebuildPosition != nil { return "rebuilding" }
        return holdsLock ? "running" : "standby"
    }

    /// Pauses, resumes (also after a failure: the failed event is tried again) or rebuilds `name`.
    public func perform(_ action: ProjectionAction, on name: String) async throws(EventLogError) {
        guard projections.contains(where: { $0.name == name }) else {
            throw EventLogError(.notFound, "projection: \(name) does not exist")
        }
        let query: PostgresQuery =
            switch action {
            case .pause: "UPDATE projection_checkpoints SET state = 'paused' WHERE name = \(name)"
            case .resume:
                """
                UPDATE projection_checkpoints SET state = 'running', failed_position = NULL,
                    failed_event_id = NULL, failed_error = NULL
                WHERE name = \(name)
                """
            case .rebuild:
                "UPDATE projection_checkpoints SET rebuild_position = 0 WHERE name = \(name) AND rebuild_position IS NULL"
            }
        do {
            try await client.committing(logger: logger) { _ = try await $0.query(query, logger: logger) }
        } catch {
            throw EventLogError(.unavailable, "could not change projection \(name)")
        }
    }

    /// Records an admin's decision that `name`, stopped at `position`, passes over that event
    /// (for good: every rebuild honours it too), and lets it run on. Returns where the decision
    /// was appended. `INVALID` unless the projection is stopped at exactly that position.
    public func skip(_ position: LogPosition, on name: String, reason: String, metadata: String)
        async throws(EventLogError) -> LogPosition
    {
        guard projections.contains(where: { $0.name == name }) else {
            throw EventLogError(.notFound, "projection: \(name) does not exist")
        }
        let checkpoint: Checkpoint?
        do {
            checkpoint = try await ProjectionCheckpoints.all(where: name) { try await client.query($0, logger: logger) }
                .first
        } catch {
            throw EventLogError(.unavailable, "could not read the checkpoint of \(name)")
        }
        guard let checkpoint, checkpoint.state == "failed", let failed = checkpoint.failedPosition else {
            throw EventLogError(
                .invalid,
                "position: projection \(name) is \(checkpoint?.state ?? "starting"), not stopped at an event; only the event it stopped at can be skipped"
            )
        }
        guard failed == position else {
            throw EventLogError(.invalid, "position: projection \(name) is stopped at \(failed), not at \(position)")
        }
        let decision = ProjectionSkip(position: position, eventID: checkpoint.failedEventID ?? "", reason: reason)
        let result = try await store.append(
            to: try StreamName(ProjectionSkip.stream(of: name)),
            events: [try NewEvent(type: ProjectionSkip.eventType, data: decision.data, metadata: metadata)]
        )
        try await perform(.resume, on: name)
        return result.positions.last ?? position
    }

    /// The position `name`'s live tables reflect; -1 until its worker has made them (a schema
    /// and its tables are made in one transaction).
    public func checkpoint(of name: String) async throws(EventLogError) -> LogPosition {
        let schema = projections.first { $0.name == name }?.schema ?? "rm_\(name)"
        do {
            let rows = try await client.query(
                """
                SELECT position FROM projection_checkpoints
                WHERE name = \(name) AND to_regnamespace(\(schema)) IS NOT NULL
                """,
                logger: logger
            )
            for try await position in rows.decode(Int64.self) { return position }
            return -1
        } catch {
            throw EventLogError(.unavailable, "could not read the checkpoint of \(name)")
        }
    }

    /// Waits (up to `timeout`) until `name` has applied `position`; false if it has not by then.
    public func waitUntilApplied(_ name: String, position: LogPosition, timeout: Duration) async throws(EventLogError)
        -> Bool
    {
        let deadline = ContinuousClock.now + timeout
        while try await checkpoint(of: name) < position {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }
}
