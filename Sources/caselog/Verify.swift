import ArgumentParser
import CaselogServer
import EventLog
import Foundation

/// `caselog verify`: recomputes the hash chain and reports the first position where it breaks,
/// in the database or, with `--file`, in an exported history with no server and no database.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify the log's hash chain; exits 1 at the first bad position.",
        discussion: """
            Without --file it reads the database. With --file it checks a history written by \
            caselog export (JSON lines) offline, by the recipe of docs/integrity.md.

            Examples:
              caselog verify --from 5000
              caselog verify --file history.jsonl
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "First position to verify.") var from: Int64 = 1
    @Option(help: "Last position to verify (default: the head).") var to: Int64?
    @Option(help: "An exported history (caselog export, JSON lines) to check offline.") var file: String?

    func run() async throws {
        if let file {
            try verifyFile(file)
            return
        }
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

    /// Checks every line of `path`; prints how far it holds, or the first line that does not.
    private func verifyFile(_ path: String) throws {
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read \(path)")
        }
        var verifier = HistoryVerifier()
        var lineNumber = 0
        for line in contents.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            guard !line.isEmpty else { continue }
            let failure: String?
            do {
                let event = try HistoryFile.event(fromJSONLine: Substring(decoding: line, as: UTF8.self))
                failure = verifier.verify(event)?.description
            } catch {
                failure = error.description
            }
            if let failure {
                print("broken at line \(lineNumber): \(failure)")
                throw ExitCode(1)
            }
        }
        guard let first = verifier.firstPosition, let last = verifier.lastPosition else {
            print("no events in \(path)")
            throw ExitCode(1)
        }
        let runs = verifier.runs == 1 ? "one unbroken run" : "\(verifier.runs) runs of consecutive positions"
        print(
            "intact: \(verifier.verifiedCount) events, positions \(first)–\(last) in \(runs), "
                + "last hash \(Hex.encode(verifier.lastHash))"
        )
    }
}
