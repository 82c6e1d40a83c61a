import ArgumentParser
import Benchmarks

/// `caselog bench tlog`: the transparency log's targets, each against its baseline in the same run.
struct BenchTlog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tlog",
        abstract: "Transparency log: tree build, proofs, appends with the tree builder, checkpoint lag.",
        discussion: """
            Runs in a scratch database on the server of --database-url (created and dropped). It
            fills the log with --events events (20,000 per atomic append), then: times a tree
            builder building the Merkle tree from empty against `sha256sum` of the same leaves
            (33 bytes each) and the tree hashed in memory; times LOG PROOF INCLUSION and LOG PROOF
            CONSISTENCY at random over TCP against PING; measures appends at 1 and 64 appenders
            with the tree builder running against without it, in alternating rounds; and, at
            --rate appends/s, the lag from each append's acknowledgement to the first signed
            checkpoint covering it, then to the first one cosigned by 3 local witnesses.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Events in the log for the tree build and the proofs.")
    var events: Int = 1_000_000

    @Option(help: "Seconds per append phase.")
    var seconds: Double = 3

    @Option(help: "Rounds of the append phases, each without then with the tree builder.")
    var rounds: Int = 3

    @Option(help: "Appends per second in the checkpoint-lag phases.")
    var rate: Int = 1000

    @Option(help: "Seconds of each checkpoint-lag phase.")
    var lagSeconds: Double = 10

    @Option(help: "Requests per proof kind.")
    var proofs: Int = 1000

    func validate() throws {
        guard events >= 2 else { throw ValidationError("--events takes a count of at least 2") }
        guard seconds > 0, lagSeconds > 0 else {
            throw ValidationError("--seconds and --lag-seconds take positive seconds")
        }
        guard rounds > 0, rate > 0, proofs > 0 else {
            throw ValidationError("--rounds, --rate and --proofs take positive counts")
        }
    }

    func run() async throws {
        let benchmark = TransparencyLogBenchmark(
            events: events,
            seconds: seconds,
            rounds: rounds,
            rate: rate,
            lagSeconds: lagSeconds,
            proofs: proofs
        )
        try await benchmark.run(configuration: database.configuration())
    }
}
