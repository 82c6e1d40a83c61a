import ArgumentParser
import Benchmarks

/// `caselog bench projections`: catch-up rate per read model, live lag, as-of query latency.
struct BenchProjections: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projections",
        abstract: "Projection catch-up, live lag and as-of latency, with raw-read baselines.",
        discussion: """
            Runs on a database that already holds a history (e.g. after `caselog demo --events N`);
            it rebuilds every read model there from position 0. Baselines in the same run: reading
            the whole log (SELECT of every event, in batches) for the catch-up rate, and `SELECT 1`
            for query latency. Live lag: commitment events appended at --rate per second while the
            projections run, lag = time from an append's commit until the board has applied it.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Appends per second in the live-lag phase.")
    var rate: Int = 1000

    @Option(help: "Seconds of the live-lag phase.")
    var seconds: Double = 10

    @Option(help: "Repetitions of each timed query.")
    var queries: Int = 200

    @Option(help: "Events per projection transaction while catching up.")
    var batchSize: Int = ProjectionBenchmark.defaultBatchSize

    @Flag(help: "Measure catch-up only.")
    var catchUpOnly = false

    func run() async throws {
        let benchmark = ProjectionBenchmark(
            rate: rate,
            seconds: seconds,
            queries: queries,
            batchSize: batchSize,
            catchUpOnly: catchUpOnly
        )
        try await benchmark.run(configuration: database.configuration())
    }
}
