import EventLog
import EventStore
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// Runs one projection: at most one worker per projection across all server processes holds
/// its advisory lock and applies events; the others stand by and take over when it dies.
///
/// Each batch is applied in one transaction that also moves the checkpoint. The worker waits
/// for new events through the store's head watcher (LISTEN/NOTIFY with a polling fallback).
final class ProjectionWorker: Sendable {
    struct Configuration: Sendable {
        var batchSize = 1000
        /// How often a standby tries to take the lock, and a paused or failed worker looks again.
        var retryInterval: Duration = .milliseconds(500)
    }

    /// What this process's worker is doing, for `PROJECTION STATUS`.
    struct Activity: Sendable {
        var holdsLock = false
        var applied: [(at: ContinuousClock.Instant, count: Int)] = []

        /// Log positions passed per second over the last few seconds.
        var rate: Double {
            let now = ContinuousClock.now
            let recent = applied.filter { now - $0.at < .seconds(5) }
            guard let first = recent.first?.at else { return 0 }
            let window = max(1, Double((now - first).components.seconds))
            return Double(recent.reduce(0) { $0 + $1.count }) / window
        }
    }

    let projection: any Projection
    private let client: PostgresClient
    private let store: EventStore
    private let configuration: Configuration
    private let logger: Logger
    private let activity = Mutex(Activity())

    init(
        projection: any Projection,
        client: PostgresClient,
        store: EventStore,
        configuration: Configuration,
        logger: Logger
    ) {
        self.projection = projection
        self.client = client
        self.store = store
        self.configuration = configuration
        self.logger = logger
    }

    var currentActivity: Activity { activity.withLock { $0 } }

    /// Runs until cancelled, reconnecting after failures, also when a query on a connection that
    /// PostgreSQL dropped is never answered.
    func run() async {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await ConnectionBound.run(on: connection) { try await self.holdLockAndWork(on: connection) }
                }
            } catch {
                if Task.isCancelled { break }
                logger.warning(
                    "projection worker failed; retrying",
                    metadata: ["projection": "\(projection.name)", "error": "\(error)"]
                )
            }
            activity.withLock { $0.holdsLock = false }
            try? await Task.sleep(for: configuration.retryInterval)
        }
    }

    private var lockKey: (Int32, Int32) {
        // The first key names caselog's projections; the second the projection, by a stable hash.
        var hash: UInt32 = 2_166_136_261
        for byte in projection.name.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return (0x6361_736c, Int32(bitPattern: hash))
    }

    private func holdLockAndWork(on connection: PostgresConnection) async throws {
        let (classID, objectID) = lockKey
        let rows = try await connection.query("SELECT pg_try_advisory_lock(\(classID), \(objectID))", logger: logger)
        var locked = false
        for try await value in rows.decode(Bool.self) { locked = value }
        guard locked else { return }
        activity.withLock { $0.holdsLock = true }
        logger.info("projection worker active", metadata: ["projection": "\(projection.name)"])
        do {
            try await work(on: connection)
        } catch {
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(classID), \(objectID))", logger: logger)
            throw error
        }
        _ = try? await connection.query("SELECT pg_advisory_unlock(\(classID), \(objectID))", logger: logger)
    }

    private func work(on connection: PostgresConnection) async throws {
        let name = projection.name
        try await ProjectionCheckpoints.ensure(name, on: connection, logger: logger)
        try await createOrUpgradeSchema(projection.schema, on: connection)
        var batchSize = configuration.batchSize
        var readAhead: ReadAhead?
        defer { readAhead?.slice.cancel() }
        var skips = try await skippedPositions()
        var wasRunning = true
        while !Task.isCancelled {
            guard let checkpoint = try await ProjectionCheckpoints.read(name, on: connection, logger: logger) else {
                return
            }
            guard checkpoint.state == "running" else {
                if wasRunning, checkpoint.state == "failed" {
                    logger.error(
                        "projection stopped at an event it cannot apply; waiting for PROJECTION SKIP or RESUME",
                        metadata: [
                            "projection": "\(name)", "position": "\(checkpoint.failedPosition ?? 0)",
                            "error": "\(checkpoint.failedError ?? "")",
                        ]
                    )
                }
                wasRunning = false
                try await Task.sleep(for: configuration.retryInterval)
                continue
            }
            if !wasRunning {
                // Resumed, perhaps by a decision to skip the event it stopped at.
                skips = try await skippedPositions()
                wasRunning = true
            }
            var progressed = false
            do {
                progressed = try await step(
                    checkpoint,
                    batchSize: batchSize,
                    skipping: skips,
                    readAhead: &readAhead,
                    on: connection
                )
                batchSize = configuration.batchSize
            } catch let failure as ProjectionFailure {
                try await ProjectionCheckpoints.fail(name, failure, on: connection, logger: logger)
                logger.error(
                    "projection stopped at an event it cannot apply",
                    metadata: ["projection": "\(name)", "failure": "\(failure)"]
                )
                continue
            } catch let error as PSQLError where error.code == .server && batchSize > 1 {
                // Some event of the batch broke a statement: go one by one to find which.
                batchSize = 1
                continue
            } catch let error as PSQLError where error.code == .server {
                let event = try await read(from: checkpoint.position + 1, limit: 1).events.first
                let failure = ProjectionFailure(
                    position: event?.position ?? checkpoint.position + 1,
                    eventID: event?.id.lowercasedString ?? "",
                    reason: error.serverInfo?[.message] ?? "a statement failed"
                )
                try await ProjectionCheckpoints.fail(name, failure, on: connection, logger: logger)
                continue
            }
            if !progressed {
                await store.waitForAppend(after: checkpoint.position, timeout: .seconds(1))
            }
        }
    }

    /// The positions an admin decided this projection passes over (`PROJECTION SKIP`).
    private func skippedPositions() async throws -> Set<LogPosition> {
        Set(try await ProjectionSkips.recorded(for: projection.name, in: store).map(\.position))
    }

    /// Applies one batch to the live tables and, while a rebuild runs, one to the fresh tables,
    /// passing over the `skipped` positions; swaps the fresh tables in once they have caught up.
    /// False when there was nothing to do.
    private func step(
        _ checkpoint: Checkpoint,
        batchSize: Int,
        skipping skipped: Set<LogPosition>,
        readAhead: inout ReadAhead?,
        on connection: PostgresConnection
    ) async throws -> Bool {
        let name = projection.name
        var progressed = false
        let slice = try await nextSlice(from: checkpoint.position + 1, limit: batchSize, readAhead: &readAhead)
        let events = slice.events.filter { !skipped.contains($0.position) }
        if slice.through > checkpoint.position {
            do {
                try await applyLive(
                    events[...],
                    from: checkpoint.position,
                    through: slice.through,
                    on: connection
                )
            } catch let failure as ProjectionFailure {
                // Apply what precedes the failing event, so the checkpoint stops right before it.
                if failure.position - 1 > checkpoint.position {
                    let before = events.prefix { $0.position < failure.position }
                    try await applyLive(
                        before,
                        from: checkpoint.position,
                        through: failure.position - 1,
                        on: connection
                    )
                }
                throw failure
            }
            progressed = true
        }
        guard let rebuilt = checkpoint.rebuildPosition else { return progressed }
        let live = max(slice.through, checkpoint.position)
        if rebuilt == 0 {
            try await recreateSchema(projection.rebuildSchema, on: connection)
        }
        if rebuilt >= live {
            try await swapRebuiltTables(at: rebuilt, on: connection)
            return true
        }
        let fresh = try await read(from: rebuilt + 1, limit: configuration.batchSize)
        guard fresh.through > rebuilt else { return progressed }
        let freshEvents = fresh.events.filter { !skipped.contains($0.position) }
        try await connection.committing(logger: logger) { _ in
            if !freshEvents.isEmpty {
                try await projection.apply(
                    freshEvents,
                    schema: projection.rebuildSchema,
                    on: connection,
                    logger: logger
                )
            }
            try await ProjectionCheckpoints.advanceRebuild(name, to: fresh.through, on: connection, logger: logger)
        }
        return true
    }

    /// A read of the next batch started while the current one is applied.
    struct ReadAhead {
        let from: LogPosition
        let slice: Task<LogSlice, any Error>
    }

    /// The batch from `position` on: the one read ahead if it starts there, else read now. While
    /// catching up (a full batch), starts reading the batch after it, to overlap with applying this one.
    private func nextSlice(from position: LogPosition, limit: Int, readAhead: inout ReadAhead?) async throws
        -> LogSlice
    {
        let ahead = readAhead
        readAhead = nil
        let slice: LogSlice
        if let ahead, ahead.from == position {
            slice = try await ahead.slice.value
        } else {
            ahead?.slice.cancel()
            slice = try await read(from: position, limit: limit)
        }
        if slice.events.count >= limit {
            let next = slice.through + 1
            readAhead = ReadAhead(from: next, slice: Task { try await self.read(from: next, limit: limit) })
        }
        return slice
    }

    /// The projection's events from `position` on, as far as one batch goes.
    private func read(from position: LogPosition, limit: Int) async throws -> LogSlice {
        try await store.readAll(from: position, limit: limit, typePrefixes: projection.eventTypePrefixes)
    }

    /// Applies `events` and moves the checkpoint from `checkpoint` to `through` in one transaction.
    private func applyLive(
        _ events: ArraySlice<RecordedEvent>,
        from checkpoint: LogPosition,
        through: LogPosition,
        on connection: PostgresConnection
    ) async throws {
        try await connection.committing(logger: logger) { _ in
            if !events.isEmpty {
                try await projection.apply(Array(events), schema: projection.schema, on: connection, logger: logger)
            }
            try await ProjectionCheckpoints.advance(projection.name, to: through, on: connection, logger: logger)
        }
        let covered = Int(through - checkpoint)
        activity.withLock { $0.applied = $0.applied.suffix(50) + [(.now, covered)] }
    }

    /// Puts the rebuilt tables in place of the live ones in one transaction: readers see the
    /// old tables or the new ones, never a half-built model.
    private func swapRebuiltTables(at position: LogPosition, on connection: PostgresConnection) async throws {
        let (live, fresh, old) = (projection.schema, projection.rebuildSchema, projection.schema + "_old")
        try await connection.committing(logger: logger) { _ in
            try await connection.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(old) CASCADE"), logger: logger)
            try await connection.query(
                PostgresQuery(unsafeSQL: "ALTER SCHEMA \(live) RENAME TO \(old)"),
                logger: logger
            )
            try await connection.query(
                PostgresQuery(unsafeSQL: "ALTER SCHEMA \(fresh) RENAME TO \(live)"),
                logger: logger
            )
            try await connection.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(old) CASCADE"), logger: logger)
            try await ProjectionCheckpoints.advance(projection.name, to: position, on: connection, logger: logger)
            try await ProjectionCheckpoints.advanceRebuild(projection.name, to: nil, on: connection, logger: logger)
        }
        logger.info(
            "projection rebuilt and swapped in",
            metadata: ["projection": "\(projection.name)", "position": "\(position)"]
        )
    }

    /// Creates the live tables when they are missing, rebuilds them from position 0 when an older
    /// version of the projection made them in another shape (its `shape` differs), and otherwise
    /// adds what the projection's `upgradeStatements` add to tables of its own shape.
    private func createOrUpgradeSchema(_ schema: String, on connection: PostgresConnection) async throws {
        let rows = try await connection.query(
            "SELECT coalesce(obj_description(oid, 'pg_namespace'), '') FROM pg_namespace WHERE nspname = \(schema)",
            logger: logger
        )
        var shape: String?
        for try await comment in rows.decode(String.self) { shape = comment }
        guard shape == projection.shape else {
            if shape != nil {
                logger.notice(
                    "projection tables have an older shape; rebuilding them from position 0",
                    metadata: ["projection": "\(projection.name)"]
                )
            }
            return try await recreateSchema(schema, on: connection, resettingCheckpoint: true)
        }
        for statement in projection.upgradeStatements(schema: schema) {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
    }

    /// Drops and creates `schema` with the projection's tables; for the live schema, the checkpoint
    /// goes back to 0 in the same transaction.
    private func recreateSchema(_ schema: String, on connection: PostgresConnection, resettingCheckpoint: Bool = false)
        async throws
    {
        try await connection.committing(logger: logger) { _ in
            try await connection.query(
                PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(schema) CASCADE"),
                logger: logger
            )
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(schema)"), logger: logger)
            try await connection.query(
                PostgresQuery(unsafeSQL: "COMMENT ON SCHEMA \(schema) IS '\(projection.shape)'"),
                logger: logger
            )
            for statement in projection.createStatements(schema: schema) {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            if resettingCheckpoint {
                try await ProjectionCheckpoints.advance(projection.name, to: 0, on: connection, logger: logger)
                try await ProjectionCheckpoints.advanceRebuild(projection.name, to: nil, on: connection, logger: logger)
            }
        }
    }
}
