import ArgumentParser
import Benchmarks

/// `caselog bench commands`: what a domain command's round trip adds over a raw `STREAM APPEND`.
struct BenchCommands: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commands",
        abstract: "Domain command round trips against raw STREAM APPEND round trips, same server, same run.",
        discussion: """
            Runs a server in this process on a scratch database (created and dropped) and one
            client over TCP, one request at a time (low load). Raw phases append one event with
            `STREAM APPEND … any`; command phases send `COMMITMENT PROGRESS` to commitments
            taken in turn from a pool, so each decision reads a stream of realistic length.
            Phases alternate so both see the same machine.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Seconds per measured phase.")
    var seconds: Double = 3

    @Option(help: "How many times the raw and command phases alternate.")
    var rounds: Int = 3

    @Option(help: "Commitments the command phases take turns on.")
    var commitments: Int = 200

    func run() async throws {
        let benchmark = CommandBenchmark(seconds: seconds, rounds: rounds, commitments: commitments)
        print(try await benchmark.run(configuration: database.configuration()))
    }
}
