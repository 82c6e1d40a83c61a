import ArgumentParser
import Foundation
import Reports

/// `caselog report --html FILE`: the leadership report as one self-contained HTML page.
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the leadership report as one self-contained HTML page.",
        discussion: """
            Reads the read models over the admin protocol (any read token) and writes one page: \
            commitments by organization and status, the overdue ones with days overdue, fulfilment \
            on time by month due, follow-ups due, and activity by community area, theme and month, \
            each chart as inline SVG with no network assets, readable when printed. Every figure \
            links to the log position it stands at.

            Examples:
              caselog report --html report.html
              caselog report --html june.html --on 2025-06-30 --org cbo-1
              caselog report --html then.html --as-of 1000
            """
    )

    @OptionGroup var client: ClientOptions

    @Option(help: "Write the page to this file.") var html: String
    @Option(help: "What was true on this business date (yyyy-mm-dd).") var on: String?
    @Option(help: "As the log stood at this position or recorded time.") var asOf: String?
    @Option(help: "Only this organization's commitments, follow-ups and activities.") var org: String?

    func run() async throws {
        let reading = ReportReading(scope: .init(on: on, asOf: asOf, org: org))
        let connection = client.connection
        let report = try await connection.withClient { client in
            try await reading.read(from: client) { command in
                try await connection.withClient { lists in try await lists.allRows(command) }
            }
        }
        do {
            try Data(ReportPage(report).html.utf8).write(to: URL(fileURLWithPath: html))
        } catch {
            FileHandle.standardError.write(Data("caselog: cannot write \(html): \(error.localizedDescription)\n".utf8))
            throw ExitCode(2)
        }
        FileHandle.standardError.write(
            Data(
                "wrote \(html): \(report.commitments.count) commitments, \(report.overdue.count) overdue, \(report.followUps.count) follow-ups to do, at log position \(report.position)\n"
                    .utf8
            )
        )
    }
}
