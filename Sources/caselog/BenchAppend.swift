import ArgumentParser
import Benchmarks
import Foundation

/// `caselog bench append`: group-committed appends against raw PostgreSQL inserts, same cluster, same run.
struct BenchAppend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append",
        abstract: "Append throughput and latency, with raw INSERT baselines and ratios.",
        discussion: """
            Runs in a scratch database on the server of --database-url (created and dropped).
            Each caselog appender appends single ~300-byte events to its own stream with an exact
            expected version (with --any-version, none: the path that looks versions up in the
            database); baselines insert the same rows into a plain table, one INSERT per
            transaction and 100-row INSERTs per transaction, and 100-row INSERTs into a copy of the
            events table (its constraints and indexes included).
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Comma-separated counts of concurrent appenders.")
    var appenders: String = "1,16,64,256"

    @Option(help: "Seconds per measured phase.")
    var seconds: Double = 5

    @Option(
        help:
            "Rounds per appender count, each a caselog phase followed by its baselines; the report gives medians and the range of the rounds' ratios."
    )
    var rounds: Int = 1

    @Flag(help: "Appenders state no expected version (any), instead of the version their stream is at.")
    var anyVersion = false

    @Flag(help: "Measure caselog only, without the raw PostgreSQL baselines.")
    var skipBaseline = false

    @Flag(help: "After each caselog phase, one with the Merkle tree builder running, and their ratio.")
    var withTree = false

    @Flag(help: "Append into the (migrated) database of --database-url itself; implies --skip-baseline.")
    var inDatabase = false

    func run() async throws {
        let counts = appenders.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--appenders takes positive counts, e.g. 1,16,64,256")
        }
        guard rounds > 0 else { throw ValidationError("--rounds takes a positive count") }
        let benchmark = AppendBenchmark(
            appenders: counts,
            seconds: seconds,
            rounds: rounds,
            anyVersion: anyVersion,
            skipBaseline: skipBaseline || inDatabase,
            withTree: withTree
        )
        if inDatabase {
            try await benchmark.runInDatabase(configuration: database.configuration())
        } else {
            print(try await benchmark.run(configuration: database.configuration()))
        }
    }
}
