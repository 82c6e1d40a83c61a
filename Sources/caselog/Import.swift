import AdminProtocol
public import ArgumentParser
import Foundation
public import ProtocolClient

/// `caselog import FILE.csv --kind …`: a coordinator's spreadsheet as one atomic batch (or a few),
/// every row checked first and every bad row reported.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import a CSV file of activities, commitments, follow-ups or cases, all rows or none.",
        discussion: """
            The header row names the columns: the protocol's field names (org, kind, occurred_on, \
            community_area, attendance, themes, summary for activities), or the names coordinators \
            use ("Community Area" as a number or a name, "Date" as 5/1/2025 or 2025-05-01, \
            "Attendees", "Topics", …), in any case and with spaces or underscores. Columns that \
            mean nothing to the import are left out and named on standard error.

            Every row is checked before anything is sent, and every bad row is reported with its \
            line, column and reason (exit 1). The file then goes to the server as one MULTI/EXEC \
            batch, which appends all its rows or none. --chunk N sends batches of N rows, each all \
            or nothing, after the server has decided every batch with EXEC CHECK (which appends \
            nothing). Each row's id is derived from its values, so importing the same file again \
            appends nothing new. --dry-run checks, with the server, and appends nothing.

            Example:
              caselog import docs/examples/activities.csv --kind activities --chunk 5000
            """
    )

    @OptionGroup var client: ClientOptions

    @Argument(help: "The CSV file (RFC 4180: commas, double quotes, a header row).") var file: String
    @Option(help: "What the rows are: activities, commitments, followups or cases.") var kind: ImportKind
    @Option(help: "Rows per atomic batch (default: the whole file in one).") var chunk: Int?
    @Flag(help: "Check every row, locally and as the server would decide it, and append nothing.") var dryRun = false

    func validate() throws {
        if let chunk, chunk < 1 { throw ValidationError("--chunk must be 1 or more") }
    }

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ValidationError("cannot read \(file)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("\(file) is not UTF-8 text; save it as CSV UTF-8")
        }
        let plan = ImportPlan(csv: text, kind: kind)
        if !plan.ignoredColumns.isEmpty {
            let names = plan.ignoredColumns.map { "'\($0)'" }.joined(separator: ", ")
            Self.note("left out columns \(names): they match no \(kind.rawValue) field")
        }
        try Self.stopIfAny(plan.problems, in: file)
        guard !plan.rows.isEmpty else {
            print("\(file): no rows to import")
            return
        }
        let largest = Transaction.maxCommands
        guard (chunk ?? plan.rows.count) <= largest else {
            throw ValidationError(
                "\(chunk == nil ? "the file's \(plan.rows.count) rows are" : "--chunk \(chunk ?? 0) is") more than one batch holds (\(largest)); use --chunk \(largest) or fewer"
            )
        }
        let importer = CSVImport(plan: plan, chunkSize: chunk)
        let batches = plan.chunks(of: chunk).count
        let (dryRun, file) = (self.dryRun, self.file)
        try await client.connection.withClient { client in
            if dryRun || batches > 1 {
                var bar = ProgressBar(label: "checking")
                let problems = try await importer.check(client) { bar.update(done: Int64($0), total: Int64($1)) }
                bar.finish()
                try Self.stopIfAny(problems, in: file)
            }
            if dryRun {
                print("\(file): \(plan.rows.count) rows are valid; nothing was appended (--dry-run)")
                return
            }
            var bar = ProgressBar(label: "importing")
            let outcome = try await importer.run(client) { bar.update(done: Int64($0), total: Int64($1)) }
            bar.finish()
            switch outcome {
            case .appended(let report):
                print(Self.summary(report, rows: plan.rows.count, file: file))
            case .refused(let problems, let before):
                if before.batches > 0 {
                    Self.note(
                        "the \(before.batches) batches before the refused one stay appended: \(Self.summary(before, rows: nil, file: file))"
                    )
                }
                try Self.stopIfAny(problems, in: file)
            }
        }
    }

    /// `1 row`, `2 rows`.
    private static func count(_ number: Int, _ noun: String, plural: String? = nil) -> String {
        "\(number) \(number == 1 ? noun : plural ?? noun + "s")"
    }

    /// What an import appended, in one line.
    static func summary(_ report: CSVImport.Report, rows: Int?, file: String) -> String {
        var text = "\(file): appended \(count(report.appended, "row"))"
        if let first = report.firstPosition, let last = report.lastPosition {
            text += first == last ? " at log position \(first)" : " at log positions \(first)-\(last)"
        }
        text += " in \(count(report.batches, "batch", plural: "batches"))"
        if report.present > 0 {
            text += "; \(count(report.present, "row")) \(report.present == 1 ? "was" : "were") already imported"
        }
        if let rows { text += " (\(count(rows, "row")) in the file)" }
        return text
    }

    /// Reports every problem on standard error and exits 1, if there is any.
    static func stopIfAny(_ problems: [ImportProblem], in file: String) throws {
        guard !problems.isEmpty else { return }
        for problem in problems { note("\(file): \(problem)") }
        note(
            "\(problems.count) problem\(problems.count == 1 ? "" : "s"); nothing of the file was appended; fix them and run the import again"
        )
        throw ExitCode(1)
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data("caselog import: \(message)\n".utf8))
    }
}

extension ImportKind: ExpressibleByArgument {}
