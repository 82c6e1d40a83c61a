public import CaselogServer
import EventLog
import EventStore
import Foundation
import Logging
import PostgresNIO
import Projections
import ReadModels

/// Catch-up rate per read model, live lag and as-of query latency, with raw-read baselines
/// (`caselog bench projections`), on a database that already holds a history. Prints its
/// tables to standard output as it measures.
public struct ProjectionBenchmark: Sendable {
    /// The projection workers' own batch size.
    public static let defaultBatchSize = ProjectionRunner.defaultBatchSize

    /// Appends per second in the live-lag phase.
    public var rate: Int
    /// Seconds of the live-lag phase.
    public var seconds: Double
    /// Repetitions of each timed query.
    public var queries: Int
    /// Events per projection transaction while catching up.
    public var batchSize: Int
    /// Measure catch-up only.
    public var catchUpOnly: Bool

    public init(rate: Int, seconds: Double, queries: Int, batchSize: Int, catchUpOnly: Bool) {
        self.rate = rate
        self.seconds = seconds
        self.queries = queries
        self.batchSize = batchSize
        self.catchUpOnly = catchUpOnly
    }

    /// Rebuilds every read model in the database of `configuration` from position 0, timing it,
    /// then (unless `catchUpOnly`) measures live lag and query latency.
    public func run(configuration: ServerConfiguration) async throws {
        var configuration = configuration
        configuration.maximumDatabaseConnections = 40
        let logger = configuration.makeLogger()
        let (rate, seconds, repetitions, batchSize, catchUpOnly) = (
            self.rate, self.seconds, self.queries, self.batchSize, self.catchUpOnly
        )
        let service = try CaselogService(configuration: configuration, parts: [])
        try await service.withRunning { service in
            let (client, store) = (service.client, service.store)
            let head = try await store.head().position
            guard head > 0 else { throw BenchmarkError("the log is empty; run `caselog demo --events N` first") }
            print("log: \(head) events\n")
            let scan = try await Self.timeLogScan(store: store, head: head)
            print("| read model | catch-up events/s | raw log read events/s | ratio |\n|---|---:|---:|---:|")
            for projection in ReadModelCatalog.standard {
                let seconds = try await Self.timeCatchUp(
                    projection,
                    client: client,
                    store: store,
                    head: head,
                    batchSize: batchSize,
                    logger: logger
                )
                let rate = Double(head) / seconds
                print(
                    String(
                        format: "| %@ | %.0f | %.0f | %.2f× |",
                        projection.name,
                        rate,
                        Double(head) / scan,
                        rate / (Double(head) / scan)
                    )
                )
            }
        }
        guard !catchUpOnly else { return }
        // The live phases run the service's own projections, as `caselog serve` does.
        let live = try CaselogService(configuration: configuration, parts: [.projections])
        try await live.withRunning { live in
            guard let runner = live.projections, let readModels = live.readModels else { return }
            let lags = try await Self.liveLag(store: live.store, runner: runner, rate: rate, seconds: seconds)
            print(
                String(
                    format: "\nlive lag at %d appends/s over %.0f s (%d appends): p50 %.1f ms, p99 %.1f ms",
                    rate,
                    seconds,
                    lags.count,
                    Self.milliseconds(lags, 0.5),
                    Self.milliseconds(lags, 0.99)
                )
            )
            try await Self.queryLatencies(
                readModels.queries,
                client: live.client,
                head: try await live.store.head().position,
                repetitions: repetitions
            )
        }
    }

    /// Seconds to read the whole log in batches of 1000: the floor any catch-up stands on.
    static func timeLogScan(store: EventStore, head: LogPosition) async throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        var position: LogPosition = 1
        while position <= head {
            let batch = try await store.readAll(from: position, limit: 1000)
            guard let last = batch.last else { break }
            position = last.position + 1
        }
        return (clock.now - start).inSeconds
    }

    /// Drops `projection`'s tables and checkpoint and times a worker applying the log from 0:
    /// one projection alone, with the batch size under test, so it is built here, not by the service.
    static func timeCatchUp(
        _ projection: any Projection,
        client: PostgresClient,
        store: EventStore,
        head: LogPosition,
        batchSize: Int,
        logger: Logger
    ) async throws -> Double {
        try await client.query(
            PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(projection.schema) CASCADE"),
            logger: logger
        )
        try await client.query("DELETE FROM projection_checkpoints WHERE name = \(projection.name)", logger: logger)
        let runner = ProjectionRunner(
            projections: [projection],
            client: client,
            store: store,
            batchSize: batchSize,
            logger: logger
        )
        let clock = ContinuousClock()
        let start = clock.now
        try await withRunningServices([runner]) {
            guard try await runner.waitUntilApplied(projection.name, position: head, timeout: .seconds(3600)) else {
                throw BenchmarkError("\(projection.name) did not catch up")
            }
        }
        return (clock.now - start).inSeconds
    }

    /// Appends commitment events at `rate` per second and measures, for each, the time from its
    /// commit until the commitment board's checkpoint passed it.
    static func liveLag(store: EventStore, runner: ProjectionRunner, rate: Int, seconds: Double) async throws
        -> [Double]
    {
        _ = try await runner.waitUntilApplied(
            "commitments",
            position: try await store.head().position,
            timeout: .seconds(600)
        )
        let clock = ContinuousClock()
        let committed = CommitTimes()
        let total = Int(Double(rate) * seconds)
        let watcher = Task {
            var lags: [Double] = []
            var seen: LogPosition = 0
            while lags.count < total, !Task.isCancelled {
                let checkpoint = try await runner.checkpoint(of: "commitments")
                if checkpoint > seen {
                    let now = clock.now
                    lags += committed.take(through: checkpoint).map { (now - $0).inSeconds * 1000 }
                    seen = checkpoint
                }
                try await Task.sleep(for: .milliseconds(2))
            }
            return lags
        }
        try await LoadRun.paced(rate: rate, seconds: seconds) { _ in
            let id = UUID.random().lowercasedString
            let data =
                #"{"schema":2,"owner_org":"cbo-bench","text":"Bench commitment","made_to":"residents","made_on":"2025-01-10","due_on":"2025-03-01"}"#
            let result = try await store.append(
                to: try StreamName("commitment-\(id)"),
                expected: .noStream,
                events: [try NewEvent(type: "CommitmentMade", data: data, metadata: "{}")]
            )
            committed.record(result.positions, at: clock.now)
        }
        let deadline = Task {
            try await Task.sleep(for: .seconds(30))
            watcher.cancel()
        }
        defer { deadline.cancel() }
        return try await watcher.value.sorted()
    }

    static func queryLatencies(_ queries: ReadModelQueries, client: PostgresClient, head: LogPosition, repetitions: Int)
        async throws
    {
        var filter = CommitmentFilter()
        filter.overdue = true
        let overdue = filter
        let cases: [(String, @Sendable () async throws -> Void)] = [
            ("SELECT 1 (baseline)", { _ = try await client.query("SELECT 1").collect() }),
            ("COMMITMENT LIST OVERDUE", { _ = try await queries.commitments(overdue) }),
            (
                "COMMITMENT LIST OVERDUE AS-OF \(head / 2)",
                { _ = try await queries.commitments(overdue, at: QueryMoment(asOf: .position(head / 2))) }
            ),
        ]
        print("\n| query (\(head) events in the log) | p50 ms | p99 ms |\n|---|---:|---:|")
        for (name, query) in cases {
            let samples = try await LoadRun.timings(repetitions: repetitions, operation: query)
            print(String(format: "| %@ | %.2f | %.2f |", name, milliseconds(samples, 0.5), milliseconds(samples, 0.99)))
        }
    }

    /// `percentile` of ascending milliseconds, NaN when there are none.
    static func milliseconds(_ sorted: [Double], _ fraction: Double) -> Double {
        percentile(sorted, fraction) ?? .nan
    }
}

/// Commit instants of appended positions, taken once the projection has passed them.
final class CommitTimes: @unchecked Sendable {
    private let lock = NSLock()
    private var times: [LogPosition: ContinuousClock.Instant] = [:]

    func record(_ positions: [LogPosition], at instant: ContinuousClock.Instant) {
        lock.withLock { for position in positions { times[position] = instant } }
    }

    func take(through checkpoint: LogPosition) -> [ContinuousClock.Instant] {
        lock.withLock {
            let done = times.filter { $0.key <= checkpoint }
            for key in done.keys { times[key] = nil }
            return Array(done.values)
        }
    }
}
