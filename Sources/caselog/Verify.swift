import ArgumentParser
import CaselogServer
import Foundation

/// `caselog verify`: recomputes the hash chain and reports the first position where it breaks.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify the log's hash chain; exits 1 at the first bad position."
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "First position to verify.") var from: Int64 = 1
    @Option(help: "Last position to verify (default: the head).") var to: Int64?

    func run() async throws {
        let (from, to) = (self.from, self.to)
        let service = try CaselogService(configuration: database.configuration(), parts: [])
        let report = try await service.withRunning { service in
            var bar = ProgressBar(label: "verifying")
            let report = try await service.store.verify(from: from, through: to) { done, total in
                bar.update(done: done, total: total)
            }
            bar.finish()
            return report
        }
        print(report)
        if !report.isIntact { throw ExitCode(1) }
    }
}
