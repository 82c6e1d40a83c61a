import CaselogTesting
import Domain
import EventLog
import EventStore
import Foundation
import Logging
import PostgresNIO
import Projections
import ReadModels
import Testing

/// The projection runtime: transactional checkpoints, stopping at a failing event, one worker
/// per projection across processes with take-over, and rebuilds that swap in identical tables.
@Suite struct ProjectionRuntimeTests {
    @Test func aFailingEventStopsTheProjectionThereAndIsNeverSkipped() async throws {
        try await ProjectionHarness.with { harness in
            try await harness.makeCommitment()
            let broken = try await harness.append("commitment-c-broken", "CommitmentMade", #"{"schema":2,"text":7}"#)
            try await harness.makeCommitment()
            var status = try await Self.status(harness, until: { $0.state == "failed" })
            #expect(status.checkpoint == broken - 1, "stopped just before the failing event")
            #expect(status.failedPosition == broken)
            let event = try #require(try await harness.store.readAll(from: broken, limit: 1).first)
            #expect(status.failedEventID == event.id.uuidString.lowercased())
            #expect(status.error?.isEmpty == false)

            try await harness.runner.perform(.resume, on: "commitments")
            status = try await Self.status(harness, until: { $0.state == "failed" && $0.failedPosition == broken })
            #expect(status.checkpoint == broken - 1, "resuming tries the same event again; it is not skipped")
        }
    }

    /// A restarted process finds the projection stopped where it was, says so, and goes on only
    /// once an admin has decided to skip the event.
    @Test func aFailedProjectionStaysFailedAcrossARestartUntilItsEventIsSkipped() async throws {
        try await ProjectionHarness.with(projections: []) { harness in
            let makeRunner = {
                ProjectionRunner(
                    projections: [ReadModelCatalog.commitments],
                    client: harness.database.client,
                    store: harness.store,
                    logger: TestDatabase.logger
                )
            }
            let before = makeRunner()
            let broken = try await harness.append("commitment-c-broken", "CommitmentMade", #"{"schema":2,"text":7}"#)
            try await withRunningServices([before]) {
                _ = try await before.status(of: "commitments", until: { $0.state == "failed" })
            }
            let after = makeRunner()
            try await withRunningServices([after]) {
                try await harness.makeCommitment()
                let status = try await after.status(of: "commitments", until: { $0.state == "failed" })
                #expect(status.failedPosition == broken)
                #expect(status.checkpoint == broken - 1, "the restarted worker did not pass the event by itself")
                #expect(status.skips.isEmpty)

                let decision = try await after.skip(
                    broken,
                    on: "commitments",
                    reason: "written by hand",
                    metadata: "{}"
                )
                let head = try await harness.store.head().position
                #expect(try await after.waitUntilApplied("commitments", position: head, timeout: .seconds(20)))
                let resumed = try await after.status(of: "commitments", until: { $0.state == "running" })
                #expect(resumed.skips.map(\.position) == [broken])
                #expect(resumed.skips.first?.reason == "written by hand")
                #expect(decision > broken)
            }
        }
    }

    @Test func anApplyThatDiesBeforeItsCommitLeavesNoTrace() async throws {
        let crashing = CrashOnceProjection(wrapping: ReadModelCatalog.commitments)
        try await ProjectionHarness.with(projections: [crashing]) { harness in
            for _ in 0..<5 {
                let id = try await harness.makeCommitment()
                try await harness.progress(id, level: "limited")
            }
            _ = try await harness.caughtUp()
            #expect(crashing.crashes == 1, "the first batch died after its statements, before COMMIT")
            let rows = try await harness.allRows()
            #expect(rows.count == 10, "each event applied exactly once: \(rows.count) row versions")
            #expect(Set(rows.map { $0.split(separator: " ")[1] }).count == 10)
        }
    }

    @Test func tablesAnEarlierVersionMadeGetTheIndexesAddedSinceAndKeepTheirRows() async throws {
        try await ProjectionHarness.with(projections: []) { harness in
            let board = ReadModelCatalog.commitments
            let client = harness.database.client
            try await client.query(
                PostgresQuery(unsafeSQL: "CREATE SCHEMA \(board.schema)"),
                logger: TestDatabase.logger
            )
            for statement in board.createStatements(schema: board.schema) {
                try await client.query(PostgresQuery(unsafeSQL: statement), logger: TestDatabase.logger)
            }
            try await client.query(
                PostgresQuery(unsafeSQL: "COMMENT ON SCHEMA \(board.schema) IS '\(board.shape)'"),
                logger: TestDatabase.logger
            )
            let newest = "rows_\(board.indexes.count - 1)"
            try await client.query(
                PostgresQuery(unsafeSQL: "DROP INDEX \(board.schema).\(newest)"),
                logger: TestDatabase.logger
            )
            try await client.query(
                PostgresQuery(
                    unsafeSQL: """
                        INSERT INTO \(board.schema).rows (key, valid_from, last_event_id, effective_on, doc)
                        VALUES ('kept', 1, gen_random_uuid(), '2025-01-01', '{"due_on": "2025-01-01"}')
                        """
                ),
                logger: TestDatabase.logger
            )

            let runner = ProjectionRunner(
                projections: [board],
                client: client,
                store: harness.store,
                logger: TestDatabase.logger
            )
            let task = Task { try await runner.run() }
            defer { task.cancel() }
            try await harness.makeCommitment()
            let head = try await harness.store.head().position
            #expect(try await runner.waitUntilApplied(board.name, position: head, timeout: .seconds(20)))

            var indexes: [String] = []
            for try await name in try await client.query(
                "SELECT indexname FROM pg_indexes WHERE schemaname = \(board.schema)",
                logger: TestDatabase.logger
            )
            .decode(String.self) {
                indexes.append(name)
            }
            #expect(indexes.contains(newest), "\(indexes)")
            #expect(try await harness.allRows().count == 2, "the earlier rows are kept, the new one added")
        }
    }

    @Test func twoProcessesApplyEachEventOnceAndAStandbyTakesOver() async throws {
        try await ProjectionHarness.with(projections: []) { harness in
            let runners = (0..<2).map { _ in
                ProjectionRunner(
                    projections: ReadModelCatalog.standard,
                    client: harness.database.client,
                    store: harness.store,
                    logger: TestDatabase.logger
                )
            }
            let tasks = runners.map { runner in Task { try await runner.run() } }
            defer { for task in tasks { task.cancel() } }
            for _ in 0..<50 { try await harness.makeCommitment() }
            let head = try await harness.store.head().position
            #expect(try await runners[0].waitUntilApplied("commitments", position: head, timeout: .seconds(20)))
            var states: [String] = []
            for runner in runners {
                states.append(try await runner.statuses().first { $0.name == "commitments" }?.state ?? "")
            }
            #expect(states.sorted() == ["running", "standby"], "\(states)")
            #expect(try await harness.allRows().count == 50, "each event applied once")

            // The active one stops; the standby takes the lock and carries on.
            let active = states[0] == "running" ? 0 : 1
            tasks[active].cancel()
            _ = await tasks[active].result
            for _ in 0..<20 { try await harness.makeCommitment() }
            let later = try await harness.store.head().position
            #expect(
                try await runners[1 - active].waitUntilApplied("commitments", position: later, timeout: .seconds(15))
            )
            #expect(try await harness.allRows().count == 70)
        }
    }

    @Test func aRebuildUnderConcurrentAppendsEndsIdenticalToAFreshFold() async throws {
        try await ProjectionHarness.with(batchSize: 20) { harness in
            var ids: [String] = []
            for index in 0..<60 {
                ids.append(try await harness.makeCommitment(due: "2025-0\(index % 9 + 1)-10"))
                try await harness.progress(ids[index / 2], level: index % 2 == 0 ? "limited" : "substantial")
            }
            _ = try await harness.caughtUp()
            let writer = Task {
                for index in 0..<60 {
                    try await harness.progress(ids[index], level: "complete")
                    if index % 3 == 0 { try await harness.fulfil(ids[index]) }
                }
            }
            try await harness.runner.perform(.rebuild, on: "commitments")
            _ = try await Self.status(harness, until: { $0.rebuildPosition != nil || $0.state == "rebuilding" })
            _ = try await Self.status(harness, until: { $0.rebuildPosition == nil && $0.state == "running" })
            try await writer.value
            _ = try await harness.caughtUp()

            let check = VersionedRowsProjection<CommitmentRow>(
                name: "commitments_check",
                columns: ReadModelCatalog.commitments.columns,
                indexes: []
            )
            try await harness.foldSeparately([check], until: "commitments_check")
            let rebuilt = try await harness.allRows()
            #expect(rebuilt.count > 180)
            #expect(rebuilt == (try await harness.allRows(schema: "rm_commitments_check")))
        }
    }

    /// Polls the commitments projection's status until `condition` holds (at most 30 s).
    static func status(_ harness: ProjectionHarness, until condition: (ProjectionStatus) -> Bool) async throws
        -> ProjectionStatus
    {
        try await harness.status(of: "commitments", until: condition)
    }
}

/// The commitment board, except that its first batch dies after its statements ran and
/// before the transaction commits — as a process killed at that moment would.
final class CrashOnceProjection: Projection, @unchecked Sendable {
    let inner: VersionedRowsProjection<CommitmentRow>
    private let lock = NSLock()
    private var applies = 0
    private var crashed = 0

    init(wrapping inner: VersionedRowsProjection<CommitmentRow>) { self.inner = inner }

    var name: String { inner.name }
    var crashes: Int { lock.withLock { crashed } }

    func createStatements(schema: String) -> [String] { inner.createStatements(schema: schema) }

    func apply(_ events: [RecordedEvent], schema: String, on connection: PostgresConnection, logger: Logger)
        async throws
    {
        try await inner.apply(events, schema: schema, on: connection, logger: logger)
        let crash = lock.withLock {
            defer { applies += 1 }
            if applies == 0 { crashed += 1 }
            return applies == 0
        }
        if crash { throw CancellationError() }
    }
}
