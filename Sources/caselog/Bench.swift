import ArgumentParser

/// `caselog bench`: throughput and latency measured against baselines in the same run.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks with baselines measured side by side.",
        subcommands: [BenchAppend.self, BenchCommands.self, BenchProjections.self, BenchTlog.self]
    )
}
