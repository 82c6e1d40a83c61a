import ArgumentParser
import CaselogServer
import EventLog
import Foundation
import TransparencyLog

/// `caselog verify`: recomputes the hash chain and reports the first position where it breaks,
/// in the database or, with `--file`, in an exported history with no server and no database.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify the log's hash chain; exits 1 at the first bad position.",
        discussion: """
            Without --file it reads the database. With --file it checks a history written by \
            caselog export (JSON lines) offline, by the recipe of docs/integrity.md; positions \
            missing from it are a break unless --filtered says it is an export of one stream or \
            type. With \
            --checkpoint (repeatable) it proves that today's log extends checkpoints saved earlier \
            (LOG CHECKPOINT), recomputing the chain and the Merkle tree from the events in the \
            database; with --receipt it checks a receipt (caselog proof inclusion) with no server. \
            Both need the log's verifier key (caselog key show).

            Examples:
              caselog verify --from 5000
              caselog verify --file history.jsonl
              caselog verify --file org-cbo-1.jsonl --filtered
              caselog verify --checkpoint saved.checkpoint --key "$VERIFIER_KEY"
              caselog verify --receipt event-42.tlog-proof --key "$VERIFIER_KEY"
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "First position to verify.") var from: Int64 = 1
    @Option(help: "Last position to verify (default: the head).") var to: Int64?
    @Option(help: "An exported history (caselog export, JSON lines) to check offline.") var file: String?
    @Flag(
        help: "The file is an export of one stream or type (--stream, --type): gaps between positions are expected."
    )
    var filtered = false
    @Option(help: "A signed checkpoint saved earlier that today's log must extend (repeatable).")
    var checkpoint: [String] = []
    @Option(help: "A receipt (C2SP tlog-proof) to check offline.") var receipt: String?
    @Option(help: "The log's verifier key, name+hash+base64 (caselog key show).") var key: String?

    func validate() throws {
        if filtered && file == nil {
            throw ValidationError("--filtered describes an exported file: give it with --file")
        }
        if (!checkpoint.isEmpty || receipt != nil) && key == nil {
            throw ValidationError("--checkpoint and --receipt need the log's verifier key: --key name+hash+base64")
        }
    }

    func run() async throws {
        if let file {
            try verifyFile(file)
            return
        }
        if let receipt, let key {
            try verifyReceipt(receipt, key: key)
            return
        }
        if let key, !checkpoint.isEmpty {
            try await verifyCheckpoints(checkpoint, key: key)
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

    /// Checks a receipt's checkpoint signature and inclusion proof with `key` alone.
    private func verifyReceipt(_ path: String, key: String) throws {
        let verifier = try Self.verifierKey(key)
        do {
            let receipt = try Receipt(parsing: try Self.contents(of: path))
            let checkpoint = try receipt.verify(with: verifier)
            print(
                "included: position \(receipt.index + 1) (leaf index \(receipt.index)), event hash "
                    + "\(Hex.encode(receipt.leafData)), in the tree of \(checkpoint.size) events signed by "
                    + "\(verifier.name), root \(checkpoint.root.base64)"
            )
        } catch let error as TransparencyLogError {
            print("refused: \(error.message)")
            throw ExitCode(1)
        }
    }

    /// Checks each saved checkpoint's signature, then whether the log in the database extends them.
    private func verifyCheckpoints(_ paths: [String], key: String) async throws {
        let verifier = try Self.verifierKey(key)
        var checkpoints: [Checkpoint] = []
        for path in paths {
            do {
                checkpoints.append(try Checkpoint.open(try Self.contents(of: path), verifiedBy: verifier))
            } catch let error as TransparencyLogError {
                print("refused: \(path): \(error.message)")
                throw ExitCode(1)
            }
        }
        let service = try CaselogService(configuration: database.configuration(), parts: [])
        let audit = try await service.withRunning { service in try await service.store.audit(checkpoints) }
        print(audit)
        if !audit.holds { throw ExitCode(1) }
    }

    static func verifierKey(_ text: String) throws -> NoteVerifierKey {
        do {
            return try NoteVerifierKey(parsing: text.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            throw ValidationError("--key: \(error.message)")
        }
    }

    static func contents(of path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read \(path)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Checks every line of `path`; prints how far it holds, or the first line that does not.
    private func verifyFile(_ path: String) throws {
        let parts = ProcessInfo.processInfo.activeProcessorCount
        guard let verdict = MappedFile.withContents(of: path, { HistoryCheck.verify(jsonLines: $0, parts: parts) })
        else {
            throw ValidationError("cannot read \(path)")
        }
        let verifier: HistoryVerifier
        switch verdict {
        case .broken(let line, let reason):
            print("broken at line \(line): \(reason)")
            throw ExitCode(1)
        case .intact(let checked):
            verifier = checked
        }
        guard let first = verifier.firstPosition, let last = verifier.lastPosition else {
            print("no events in \(path)")
            throw ExitCode(1)
        }
        let missing = last - first + 1 - verifier.verifiedCount
        guard missing == 0 || filtered else {
            // Every event present holds, but a whole export of a range has no gaps: lines were
            // removed (which the chain of the remaining lines cannot show), or it was filtered.
            print(
                "broken: \(missing) of positions \(first)–\(last) are missing (\(verifier.runs) runs of consecutive "
                    + "positions); if the file is an export of one stream or type, check it with --filtered"
            )
            throw ExitCode(1)
        }
        let runs = verifier.runs == 1 ? "one unbroken run" : "\(verifier.runs) runs of consecutive positions"
        print(
            "intact: \(verifier.verifiedCount) events, positions \(first)–\(last) in \(runs), "
                + "last hash \(Hex.encode(verifier.lastHash))"
        )
    }
}
