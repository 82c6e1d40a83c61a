public import CaselogServer
import EventLog
import EventStore
import Foundation
import Logging
import PostgresNIO
import TransparencyLog

/// Group-committed appends against raw PostgreSQL inserts, same cluster, same run
/// (`caselog bench append`).
public struct AppendBenchmark: Sendable {
    /// Counts of concurrent appenders, one phase each.
    public var appenders: [Int]
    /// Seconds per measured phase.
    public var seconds: Double
    /// Rounds per appender count, each a caselog phase followed by its baselines.
    public var rounds: Int
    /// Appenders state no expected version (any) instead of the version their stream is at.
    public var anyVersion: Bool
    /// Measure caselog only, without the raw PostgreSQL baselines.
    public var skipBaseline: Bool
    /// After each caselog phase, a second one with the Merkle tree builder running (and signing
    /// checkpoints with a throwaway key), compared with the first.
    public var withTree: Bool

    public init(
        appenders: [Int],
        seconds: Double,
        rounds: Int,
        anyVersion: Bool,
        skipBaseline: Bool,
        withTree: Bool = false
    ) {
        self.appenders = appenders
        self.seconds = seconds
        self.rounds = rounds
        self.anyVersion = anyVersion
        self.skipBaseline = skipBaseline
        self.withTree = withTree
    }

    /// Runs in a scratch database on the server of `configuration` (created and dropped) and
    /// returns the report as a Markdown table; each phase's figures go to standard error as measured.
    public func run(configuration: ServerConfiguration) async throws -> String {
        let logger = configuration.makeLogger()
        let report = try await configuration.withScratchDatabase { scratchConfiguration in
            var scratchConfiguration = scratchConfiguration
            scratchConfiguration.maximumDatabaseConnections = 70
            let service = try CaselogService(configuration: scratchConfiguration, parts: [])
            return try await service.withRunning { service in
                try await Self.createBaselineTables(client: service.client, logger: logger)
                return try await measure(store: service.store, client: service.client, logger: logger)
            }
        }
        return report.markdown(seconds: seconds)
    }

    /// The phases of every round on `store`, the baselines into the tables `createBaselineTables`
    /// made with `client`; each phase's figures go to standard error as measured.
    func measure(store: EventStore, client: PostgresClient, logger: Logger) async throws -> BenchReport {
        var report = BenchReport()
        // Each caselog phase is followed at once by its baselines, so load drift hits both alike.
        for count in appenders {
            for _ in 0..<rounds {
                let figures = try await Self.appendPhase(
                    store: store,
                    appenders: count,
                    seconds: seconds,
                    anyVersion: anyVersion
                )
                report.caselog[count, default: []].append(figures)
                log("caselog", figures)
                if withTree {
                    let treed = try await Self.treePhase(
                        store: store,
                        appenders: count,
                        seconds: seconds,
                        anyVersion: anyVersion,
                        logger: logger
                    )
                    report.caselogWithTree[count, default: []].append(treed)
                    log("caselog with the tree builder", treed)
                }
                guard !skipBaseline else { continue }
                let single = try await Self.rawSinglePhase(
                    client: client,
                    clients: min(count, 64),
                    seconds: seconds
                )
                report.rawSingle[count, default: []].append(single)
                log("raw 1-row INSERT per transaction", single)
                let batch = try await Self.rawBatchPhase(client: client, into: .plain, seconds: seconds)
                report.rawBatch[count, default: []].append(batch)
                log("raw 100-row INSERT per transaction", batch)
                let shaped = try await Self.rawBatchPhase(client: client, into: .eventsShaped, seconds: seconds)
                report.rawShapedBatch[count, default: []].append(shaped)
                log("raw 100-row INSERT per transaction, events-shaped table", shaped)
            }
        }
        return report
    }

    /// Appender phases in the (migrated) database of `configuration` itself, without baselines;
    /// each phase's figures go to standard error.
    public func runInDatabase(configuration: ServerConfiguration) async throws {
        let (counts, seconds, anyVersion) = (appenders, self.seconds, self.anyVersion)
        let service = try CaselogService(configuration: configuration, parts: [])
        try await service.withRunning { service in
            try await Self.measureCaselog(
                store: service.store,
                counts: counts,
                seconds: seconds,
                anyVersion: anyVersion
            )
        }
    }

    /// An append phase with a `TreeBuilder` running beside it, once it has caught up with the log.
    static func treePhase(
        store: EventStore,
        appenders: Int,
        seconds: Double,
        anyVersion: Bool,
        logger: Logger
    ) async throws -> LoadFigures {
        let origin = "bench.caselog.invalid/log"
        let builder = TreeBuilder(
            store: store,
            signer: try NoteSignerKey.generate(name: origin),
            origin: origin,
            logger: logger
        )
        _ = try await builder.extend()
        return try await withThrowingTaskGroup(of: LoadFigures?.self) { group in
            group.addTask {
                try await builder.run()
                return nil
            }
            let figures = try await appendPhase(
                store: store,
                appenders: appenders,
                seconds: seconds,
                anyVersion: anyVersion
            )
            group.cancelAll()
            try await group.waitForAll()
            return figures
        }
    }

    /// Appender phases on `store` (a database of the user's), without baselines.
    static func measureCaselog(store: EventStore, counts: [Int], seconds: Double, anyVersion: Bool) async throws {
        for count in counts {
            let figures = try await Self.appendPhase(
                store: store,
                appenders: count,
                seconds: seconds,
                anyVersion: anyVersion
            )
            log("caselog", figures)
        }
    }

    /// The tables the raw baselines insert into.
    enum BaselineTable: String {
        /// A bigserial key, a unique uuid and the envelope's text columns.
        case plain = "bench_raw"
        /// A copy of `events`, its constraints and indexes included; the database fills its
        /// position, time and hash columns.
        case eventsShaped = "bench_events_shaped"

        /// The columns a baseline row supplies.
        var columns: [String] {
            switch self {
            case .plain: ["id", "stream", "type", "data", "metadata"]
            case .eventsShaped: ["id", "stream", "type", "data", "metadata", "version"]
            }
        }
    }

    static func createBaselineTables(client: PostgresClient, logger: Logger) async throws {
        let statements = [
            """
            CREATE TABLE bench_raw (
                position bigserial PRIMARY KEY, id uuid NOT NULL UNIQUE, stream text NOT NULL,
                type text NOT NULL, data text NOT NULL, metadata text NOT NULL,
                recorded_at timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE TABLE bench_events_shaped (LIKE events INCLUDING ALL)",
            "CREATE SEQUENCE bench_events_shaped_position OWNED BY bench_events_shaped.position",
            """
            ALTER TABLE bench_events_shaped
                ALTER position SET DEFAULT nextval('bench_events_shaped_position'),
                ALTER recorded_at SET DEFAULT now(),
                ALTER prev_hash SET DEFAULT decode(repeat('ab', 32), 'hex'),
                ALTER hash SET DEFAULT decode(repeat('cd', 32), 'hex')
            """,
        ]
        for statement in statements {
            try await client.query(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
    }

    /// A ~300-byte event payload, as a coordinator's activity would carry.
    static func payload(_ worker: Int, _ iteration: Int) -> String {
        """
        {"kind":"listening-session","occurred_on":"2026-11-\(10 + iteration % 18)","community_area":\(1 + worker % 77),\
        "police_district":\(1 + iteration % 20),"attendance":\(iteration % 90),"languages":["en","es"],\
        "themes":["alternate-response","trust"],"summary":"Residents discussed who should answer \
        behavioral-health calls and asked for follow-up on response times. Session \(iteration) of worker \(worker)."}
        """
    }

    /// Appenders each appending to their own stream, stating its version unless `anyVersion`.
    static func appendPhase(
        store: EventStore,
        appenders: Int,
        seconds: Double,
        anyVersion: Bool
    ) async throws -> LoadFigures {
        let runID = UUID().uuidString.prefix(8).lowercased()
        return try await LoadRun.measure(workers: appenders, seconds: seconds) { worker, iteration in
            let event = try NewEvent(
                type: "ActivityLogged",
                data: payload(worker, iteration),
                metadata: #"{"actor":"bench"}"#
            )
            let stream = try StreamName("bench-\(runID)-\(worker)")
            let expected: ExpectedVersion =
                if anyVersion { .any } else { iteration == 0 ? .noStream : .exact(StreamVersion(iteration - 1)) }
            _ = try await store.append(to: stream, expected: expected, events: [event])
        }
    }

    static func rawSinglePhase(client: PostgresClient, clients: Int, seconds: Double) async throws -> LoadFigures {
        try await LoadRun.measure(workers: clients, seconds: seconds) { worker, iteration in
            let data = try CanonicalJSON.canonicalizeObject(payload(worker, iteration))
            try await client.query(
                """
                INSERT INTO bench_raw (id, stream, type, data, metadata)
                VALUES (\(UUID.random()), \("bench-raw-\(worker)"), 'ActivityLogged', \(data), '{"actor":"bench"}')
                """
            )
        }
    }

    /// 100-row INSERTs into `table`, one per transaction, from 64 clients; each client's rows
    /// form one stream of consecutive versions.
    static func rawBatchPhase(client: PostgresClient, into table: BaselineTable, seconds: Double) async throws
        -> LoadFigures
    {
        let rows = 100
        let runID = UUID().uuidString.prefix(8).lowercased()
        let columns = table.columns
        // Every column but the type is bound, in the order of `columns`.
        let bound = columns.count - 1
        return try await LoadRun.measure(workers: 64, seconds: seconds, eventsPerOperation: rows) { worker, iteration in
            var bindings = PostgresBindings(capacity: rows * bound)
            var values: [String] = []
            for row in 0..<rows {
                var placeholder = row * bound
                let placeholders = columns.map { column in
                    guard column != "type" else { return "'ActivityLogged'" }
                    placeholder += 1
                    return "$\(placeholder)"
                }
                values.append("(" + placeholders.joined(separator: ", ") + ")")
                let version = iteration * rows + row
                bindings.append(UUID.random())
                bindings.append("bench-raw-\(runID)-\(worker)")
                bindings.append(try CanonicalJSON.canonicalizeObject(payload(worker, version)))
                bindings.append(#"{"actor":"bench"}"#)
                if table == .eventsShaped { bindings.append(Int64(version)) }
            }
            let sql =
                "INSERT INTO \(table.rawValue) (\(columns.joined(separator: ", "))) VALUES "
                + values.joined(separator: ", ")
            try await client.query(PostgresQuery(unsafeSQL: sql, binds: bindings))
        }
    }
}

private func log(_ what: String, _ figures: LoadFigures) {
    let line = String(
        format: "%@ x%d: %.0f events/s, p50 %.2f ms, p99 %.2f ms\n",
        what,
        figures.workers,
        figures.eventsPerSecond,
        figures.latencyMilliseconds(percentile: 0.5),
        figures.latencyMilliseconds(percentile: 0.99)
    )
    FileHandle.standardError.write(Data(line.utf8))
}

/// The figures of one `bench append` run and their ratios, as a Markdown table: per appender
/// count the medians over its rounds, and each ratio as the median of the rounds' ratios with
/// their range.
struct BenchReport {
    var caselog: [Int: [LoadFigures]] = [:]
    /// The baselines measured right after each caselog phase, round by round.
    var rawSingle: [Int: [LoadFigures]] = [:]
    var rawBatch: [Int: [LoadFigures]] = [:]
    var rawShapedBatch: [Int: [LoadFigures]] = [:]
    /// The phases with the tree builder running, each right after the caselog phase of its round.
    var caselogWithTree: [Int: [LoadFigures]] = [:]

    func markdown(seconds: Double) -> String {
        var lines = [
            "| appenders | caselog events/s | p50 ms | p99 ms | raw 1-INSERT/tx events/s (clients) | ratio | raw 100-row/tx events/s (64 clients) | ratio | same into an events-shaped table | ratio |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for (count, figures) in caselog.sorted(by: { $0.key < $1.key }) {
            let single = rawSingle[count] ?? []
            let batch = rawBatch[count] ?? []
            let shaped = rawShapedBatch[count] ?? []
            let clients = single.first.map { " (\($0.workers))" } ?? ""
            lines.append(
                "| \(count) | \(Self.rate(figures)) | \(Self.ms(figures, 0.5)) | \(Self.ms(figures, 0.99)) | "
                    + "\(Self.rate(single))\(clients) | \(Self.ratio(figures, single)) | "
                    + "\(Self.rate(batch)) | \(Self.ratio(figures, batch)) | "
                    + "\(Self.rate(shaped)) | \(Self.ratio(figures, shaped)) |"
            )
        }
        if !caselogWithTree.isEmpty {
            lines += [""] + treeTable()
        }
        lines += ["", footnote(seconds: seconds)]
        return lines.joined(separator: "\n")
    }

    /// The phases with the tree builder against those without it, as Markdown table lines.
    func treeTable() -> [String] {
        var lines = [
            "| appenders | caselog events/s | with the tree builder events/s | p99 ms | ratio |",
            "|---:|---:|---:|---:|---:|",
        ]
        for (count, treed) in caselogWithTree.sorted(by: { $0.key < $1.key }) {
            let plain = caselog[count] ?? []
            lines.append(
                "| \(count) | \(Self.rate(plain)) | \(Self.rate(treed)) | \(Self.ms(treed, 0.99)) | "
                    + "\(Self.ratio(treed, plain)) |"
            )
        }
        return lines
    }

    /// How the figures and ratios were taken.
    func footnote(seconds: Double) -> String {
        let rounds = caselog.values.first?.count ?? 0
        return "\(Int(seconds)) s per phase, \(rounds) round(s) per appender count; figures are medians over the "
            + "rounds; ratio = caselog events/s ÷ baseline events/s of the same round, median (range)."
    }

    private static func rate(_ figures: [LoadFigures]) -> String {
        median(figures.map(\.eventsPerSecond)).map { String(format: "%.0f", $0) } ?? "–"
    }

    private static func ms(_ figures: [LoadFigures], _ fraction: Double) -> String {
        median(figures.map { $0.latencyMilliseconds(percentile: fraction) }).map { String(format: "%.2f", $0) } ?? "–"
    }

    private static func ratio(_ figures: [LoadFigures], _ baselines: [LoadFigures]) -> String {
        let ratios = zip(figures, baselines).filter { $1.eventsPerSecond > 0 }
            .map { $0.eventsPerSecond / $1.eventsPerSecond }.sorted()
        guard let middle = median(ratios), let low = ratios.first, let high = ratios.last else { return "–" }
        if ratios.count == 1 { return String(format: "%.2f×", middle) }
        return String(format: "%.2f× (%.2f–%.2f)", middle, low, high)
    }

    private static func median(_ values: [Double]) -> Double? {
        percentile(values.sorted(), 0.5)
    }
}
