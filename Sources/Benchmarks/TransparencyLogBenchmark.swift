import AdminProtocol
import Application
public import CaselogServer
import Domain
import EventLog
import EventStore
import Foundation
import Logging
import PostgresNIO
import ProtocolClient
import Synchronization
import TransparencyLog

/// The transparency log's targets, each against its baseline in the same run (`caselog bench
/// tlog`): building the tree for a filled log against `sha256sum` of its leaves, proofs over the
/// protocol, appends with the tree builder against appends without it, and the lag from an
/// acknowledged append to the signed and to the cosigned checkpoint covering it. Prints its
/// tables to standard output as it measures.
public struct TransparencyLogBenchmark: Sendable {
    /// The origin (and key name) of the benchmark's log.
    static let origin = "bench.caselog.invalid/log"

    /// Events the log is filled with before the tree is built and proofs are asked for.
    public var events: Int
    /// Seconds per append phase.
    public var seconds: Double
    /// Rounds of the append phases, each without then with the tree builder.
    public var rounds: Int
    /// Appends per second in the checkpoint-lag phases.
    public var rate: Int
    /// Seconds of each checkpoint-lag phase.
    public var lagSeconds: Double
    /// Requests per proof kind.
    public var proofs: Int

    public init(events: Int, seconds: Double, rounds: Int, rate: Int, lagSeconds: Double, proofs: Int) {
        self.events = events
        self.seconds = seconds
        self.rounds = rounds
        self.rate = rate
        self.lagSeconds = lagSeconds
        self.proofs = proofs
    }

    /// Runs in a scratch database on the server of `configuration` (created and dropped), with a
    /// new log key and the witnesses' state in a temporary folder (removed).
    public func run(configuration: ServerConfiguration) async throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "caselog-bench-tlog-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyFile = directory.appending(path: "log.key").path
        let signer = try LogKeyFile(path: keyFile).generate(name: Self.origin)
        let logger = configuration.makeLogger()
        try await configuration.withScratchDatabase { scratchConfiguration in
            var scratchConfiguration = scratchConfiguration
            scratchConfiguration.maximumDatabaseConnections = 70
            scratchConfiguration.adminServer.port = 0
            // The admin protocol answers proofs from the stored tree; the benchmark runs its own
            // tree builders, so that each phase decides whether one runs.
            scratchConfiguration.logKeyFile = keyFile
            let service = try CaselogService(configuration: scratchConfiguration, parts: [.adminProtocol])
            try await service.withRunning { service in
                try await measure(service, signer: signer, directory: directory, logger: logger)
            }
        }
    }

    private func measure(_ service: CaselogService, signer: NoteSignerKey, directory: URL, logger: Logger)
        async throws
    {
        let store = service.store
        try await Self.fill(store, events: events)
        let built = try await Self.treeBuild(
            service,
            signer: signer,
            leavesFile: directory.appending(path: "leaves.bin"),
            logger: logger
        )
        print(built.markdown)

        try await Self.proofLatencies(service, size: built.size, repetitions: proofs)

        let appends = try await AppendBenchmark(
            appenders: [1, 64],
            seconds: seconds,
            rounds: rounds,
            anyVersion: false,
            skipBaseline: true,
            withTree: true
        ).measure(store: store, client: service.client, logger: logger)
        print(
            (["", "Appends with the tree builder running against appends without it:", ""] + appends.treeTable()
                + ["", appends.footnote(seconds: seconds)]).joined(separator: "\n")
        )

        let signed = try await Self.checkpointLag(
            store: store,
            signer: signer,
            witnesses: nil,
            rate: rate,
            seconds: lagSeconds,
            logger: logger
        )
        let cosigned = try await LocalWitnesses.with(
            3,
            logKey: signer.verifier,
            directory: directory,
            namePrefix: "bench.caselog.invalid/witness",
            logger: logger
        ) { witnesses in
            try await Self.checkpointLag(
                store: store,
                signer: signer,
                witnesses: witnesses,
                rate: rate,
                seconds: lagSeconds,
                logger: logger
            )
        }
        print(
            """

            Lag from an append's acknowledgement to the first checkpoint covering it, \(rate) appends/s for \
            \(Int(lagSeconds)) s per row:

            | checkpoint | appends | p50 ms | p99 ms | max ms | not covered |
            |---|---:|---:|---:|---:|---:|
            \(signed.row("signed by the log (TreeBuilder)"))
            \(cosigned.row("cosigned by 3 of 3 local witnesses (WitnessFeeder)"))
            """
        )
    }

    // MARK: Filling the log

    /// Appends `events` small events, 20,000 per atomic append (the fastest path into the log).
    static func fill(_ store: EventStore, events: Int) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let perRequest = 1000
        let perAppend = 20 * perRequest
        var appended = 0
        while appended < events {
            let count = min(perAppend, events - appended)
            let requests = try stride(from: 0, to: count, by: perRequest).map { offset in
                AppendRequest(
                    stream: try StreamName("fill-\(appended + offset)"),
                    expected: .noStream,
                    events: try (0..<min(perRequest, count - offset)).map { index in
                        try NewEvent(type: "Filled", data: #"{"n":\#(appended + offset + index)}"#, metadata: "{}")
                    }
                )
            }
            _ = try await store.append(atomically: requests)
            appended += count
            if appended % 100_000 < perAppend || appended == events {
                report(
                    String(format: "filled %d of %d events (%.0f s)", appended, events, (clock.now - start).inSeconds)
                )
            }
        }
    }

    // MARK: Building the tree

    /// Times a `TreeBuilder` building the stored tree of the whole log from an empty one, then
    /// `sha256sum` over a file of the same leaves' inputs (0x00 ‖ chain hash, 33 bytes each),
    /// and the tree hashed in memory from those inputs; signs a checkpoint of the tree.
    static func treeBuild(_ service: CaselogService, signer: NoteSignerKey, leavesFile: URL, logger: Logger)
        async throws -> TreeBuildFigures
    {
        let clock = ContinuousClock()
        let builder = TreeBuilder(store: service.store, signer: signer, origin: origin, logger: logger)
        let start = clock.now
        let frontier = try await builder.extend()
        let buildSeconds = (clock.now - start).inSeconds
        try await builder.sign(frontier)
        report(String(format: "tree of %d leaves built in %.2f s", frontier.size, buildSeconds))

        var leaves: [UInt8] = []
        leaves.reserveCapacity(Int(frontier.size) * 33)
        let rows = try await service.client.query("SELECT hash FROM events ORDER BY position", logger: logger)
        for try await hash in rows.decode(ByteBuffer.self) {
            leaves.append(0x00)
            leaves.append(contentsOf: hash.readableBytesView)
        }
        guard leaves.count == Int(frontier.size) * 33 else {
            throw BenchmarkError("read \(leaves.count / 33) leaves, the tree has \(frontier.size)")
        }
        try Data(leaves).write(to: leavesFile)

        let memoryStart = clock.now
        var memory = TreeFrontier()
        for offset in stride(from: 0, to: leaves.count, by: 33) {
            _ = memory.append(leafHash: TreeHash.leaf(Array(leaves[offset + 1..<offset + 33])))
        }
        let memorySeconds = (clock.now - memoryStart).inSeconds
        guard memory.root == frontier.root else {
            throw BenchmarkError("the tree hashed in memory has root \(memory.root), the stored tree \(frontier.root)")
        }
        var sums: [Double] = []
        for _ in 0..<3 { sums.append(try sha256sum(leavesFile)) }
        return TreeBuildFigures(
            size: frontier.size,
            buildSeconds: buildSeconds,
            sha256sumSeconds: sums.sorted()[1],
            memorySeconds: memorySeconds
        )
    }

    /// Seconds `sha256sum` takes over `file`.
    static func sha256sum(_ file: URL) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", file.path]
        process.standardOutput = FileHandle.nullDevice
        let clock = ContinuousClock()
        let start = clock.now
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchmarkError("sha256sum failed") }
        return (clock.now - start).inSeconds
    }

    // MARK: Proofs over the protocol

    /// Times `LOG PROOF INCLUSION` at random positions and `LOG PROOF CONSISTENCY` between
    /// random sizes of the tree of `size` leaves, one request at a time over TCP, with `PING` as
    /// the baseline.
    static func proofLatencies(_ service: CaselogService, size: Int64, repetitions: Int) async throws {
        let token = try await AccessService(backend: StoreBackend(store: service.store)).add(
            UserName("bench"),
            role: .admin,
            organization: nil,
            metadata: #"{"actor":"caselog bench tlog"}"#
        )
        try await RESPClient.with(port: try await service.boundPort()) { connection in
            try CommandBenchmark.expectOK(try await connection.command("AUTH", token.text))
            let cases: [(String, () async throws -> Void)] = [
                ("PING (baseline)", { try CommandBenchmark.expectOK(try await connection.command("PING")) }),
                (
                    "LOG PROOF INCLUSION p",
                    {
                        let position = Int64.random(in: 1...size)
                        try CommandBenchmark.expectOK(
                            try await connection.command("LOG", "PROOF", "INCLUSION", String(position))
                        )
                    }
                ),
                (
                    "LOG PROOF CONSISTENCY old new",
                    {
                        let old = Int64.random(in: 1...max(1, size - 1))
                        let new = Int64.random(in: old...size)
                        try CommandBenchmark.expectOK(
                            try await connection.command("LOG", "PROOF", "CONSISTENCY", String(old), String(new))
                        )
                    }
                ),
            ]
            print("\n| request (tree of \(size) leaves, \(repetitions) each) | p50 ms | p99 ms |\n|---|---:|---:|")
            for (name, request) in cases {
                let samples = try await LoadRun.timings(repetitions: repetitions, operation: request)
                print(
                    String(
                        format: "| %@ | %.2f | %.2f |",
                        name,
                        ProjectionBenchmark.milliseconds(samples, 0.5),
                        ProjectionBenchmark.milliseconds(samples, 0.99)
                    )
                )
            }
        }
    }

    // MARK: Checkpoint lag

    /// Appends `rate` events per second for `seconds` while a `TreeBuilder` runs (and, with
    /// `witnesses`, a `WitnessFeeder` needing all of them); for each append, the time from its
    /// acknowledgement to the first signed (with witnesses: cosigned) checkpoint covering it.
    static func checkpointLag(
        store: EventStore,
        signer: NoteSignerKey,
        witnesses: [WitnessEndpoint]?,
        rate: Int,
        seconds: Double,
        logger: Logger
    ) async throws -> LagFigures {
        let builder = TreeBuilder(store: store, signer: signer, origin: origin, logger: logger)
        try await builder.sign(try await builder.extend())
        let feeder = try witnesses.map {
            WitnessFeeder(policy: try WitnessPolicy(witnesses: $0), store: store, builder: builder, logger: logger)
        }
        let cover: @Sendable (Int64) async throws -> Int64? =
            if let feeder {
                { seen in
                    guard let note = await feeder.waitForCosigned(covering: seen + 1, timeout: .milliseconds(100))
                    else { return nil }
                    return try Checkpoint.open(note, verifiedBy: signer.verifier).size
                }
            } else {
                { seen in
                    guard await builder.waitForCheckpoint(covering: seen + 1, timeout: .milliseconds(100)) else {
                        return nil
                    }
                    // Read after the wait: the instant taken after this read is never early.
                    return try await store.latestCheckpoint()?.size
                }
            }
        let clock = ContinuousClock()
        let acknowledged = Mutex<[(position: Int64, at: ContinuousClock.Instant)]>([])
        let head = try await store.head().position
        let last = head + Int64(Double(rate) * seconds)
        let runID = UUID().uuidString.prefix(8).lowercased()
        return try await withThrowingTaskGroup(of: Void.self) { services in
            services.addTask { try await builder.run() }
            if let feeder { services.addTask { try await feeder.run() } }
            let watcher = Task {
                var coverage: [(size: Int64, at: ContinuousClock.Instant)] = []
                var seen = head
                let deadline = clock.now + .seconds(seconds + 30)
                while seen < last, clock.now < deadline {
                    if let size = try await cover(seen), size > seen {
                        coverage.append((size, clock.now))
                        seen = size
                    }
                }
                return coverage
            }
            try await LoadRun.paced(rate: rate, seconds: seconds) { index in
                let result = try await store.append(
                    to: try StreamName("lag-\(runID)-\(index)"),
                    expected: .noStream,
                    events: [try NewEvent(type: "LagMeasured", data: #"{"n":\#(index)}"#, metadata: "{}")]
                )
                let now = clock.now
                acknowledged.withLock { $0 += result.positions.map { ($0, now) } }
            }
            let coverage = try await watcher.value
            services.cancelAll()
            try await services.waitForAll()
            return LagFigures(acknowledged: acknowledged.withLock { $0 }, coverage: coverage)
        }
    }
}

/// Progress to standard error.
private func report(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// The tree build against `sha256sum` of the same leaves.
struct TreeBuildFigures {
    let size: Int64
    /// A `TreeBuilder` from the empty tree, reading the events and storing the tree hashes.
    let buildSeconds: Double
    /// `sha256sum` over the size × 33 bytes of leaf input, the median of three runs.
    let sha256sumSeconds: Double
    /// The same tree hashed in memory, from the leaf inputs already read.
    let memorySeconds: Double

    var markdown: String {
        String(
            format: """

                | leaves | tree build s (TreeBuilder, PostgreSQL) | sha256sum of %lld × 33 bytes s | ratio | tree hashed in memory s |
                |---:|---:|---:|---:|---:|
                | %lld | %.2f | %.2f | %.2f× | %.2f |

                ratio = sha256sum seconds ÷ tree build seconds.
                """,
            size,
            size,
            buildSeconds,
            sha256sumSeconds,
            sha256sumSeconds / buildSeconds,
            memorySeconds
        )
    }
}

/// Each append's lag from its acknowledgement to the first checkpoint that covered it.
struct LagFigures {
    /// Milliseconds, ascending; 0 when the checkpoint was seen before the acknowledgement.
    let lags: [Double]
    /// Appends no checkpoint covered before the phase gave up.
    let uncovered: Int

    init(
        acknowledged: [(position: Int64, at: ContinuousClock.Instant)],
        coverage: [(size: Int64, at: ContinuousClock.Instant)]
    ) {
        var lags: [Double] = []
        var uncovered = 0
        for append in acknowledged {
            // Sizes only grow: the first observation that covers the position.
            var (low, high) = (0, coverage.count)
            while low < high {
                let middle = (low + high) / 2
                if coverage[middle].size >= append.position { high = middle } else { low = middle + 1 }
            }
            guard low < coverage.count else {
                uncovered += 1
                continue
            }
            lags.append(max(0, (coverage[low].at - append.at).inSeconds * 1000))
        }
        self.lags = lags.sorted()
        self.uncovered = uncovered
    }

    func row(_ name: String) -> String {
        String(
            format: "| %@ | %d | %.1f | %.1f | %.1f | %d |",
            name,
            lags.count + uncovered,
            ProjectionBenchmark.milliseconds(lags, 0.5),
            ProjectionBenchmark.milliseconds(lags, 0.99),
            lags.last ?? .nan,
            uncovered
        )
    }
}
