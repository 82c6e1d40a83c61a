import CaselogTesting
import Foundation
import Testing

/// `caselog report` against a real server holding a demo history, the page opened in headless
/// Chromium (Debian's package, installed by scripts/test.sh).
@Suite struct ReportCommandTests {
    static func binary() throws -> String {
        guard let binary = ProcessInfo.processInfo.environment["CASELOG_BIN"] else {
            throw TestEnvironmentError("CASELOG_BIN is not set: run the tests with scripts/test.sh")
        }
        return binary
    }

    /// Runs headless Chromium on `page`; answers what it printed on standard error and standard
    /// output (`--dump-dom` prints the rendered document).
    static func chromium(_ arguments: [String], page: URL) async throws -> String {
        let command =
            ([
                "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--enable-logging=stderr", "--v=0",
            ]
            + arguments + [page.absoluteString]).map { "'\($0)'" }.joined(separator: " ")
        return try await Subprocess.run("sh", ["-c", "\(command) 2>&1"])
    }

    @Test func theReportRendersInChromiumWithoutConsoleErrorsAndLinksItsFiguresToTheLog() async throws {
        let binary = try Self.binary()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await TestServer.with(readModels: true) { server in
            let demo = try await Subprocess.run(
                binary,
                [
                    "demo", "--database-url", server.database.url, "--log-level", "error", "--events", "600",
                    "--concurrency", "2",
                ]
            )
            #expect(demo.contains("refusals: 0"), "\(demo)")
            let head = try await server.store.head().position
            try await server.database.waitUntilProjectionsApplied(through: head)
            let connection = ["--server", "127.0.0.1:\(server.port)", "--token", server.adminToken]

            let page = folder.appendingPathComponent("report.html")
            let made = try await Subprocess.outcome(binary, ["report", "--html", page.path] + connection)
            #expect(made.status == 0)
            // Read organization by organization, the commitments are still every one on the board.
            var counted: (commitments: Int64, followUps: Int64) = (0, 0)
            for try await row in try await server.database.client.query(
                """
                SELECT (SELECT count(*) FROM rm_commitments.rows WHERE valid_to IS NULL),
                       (SELECT count(*) FROM rm_followups.rows
                        WHERE valid_to IS NULL AND status IN ('scheduled', 'blocked'))
                """
            ).decode((Int64, Int64).self) {
                counted = row
            }
            #expect(counted.commitments > 0)
            #expect(
                made.errors.contains("\(counted.commitments) commitments,")
                    && made.errors.contains("\(counted.followUps) follow-ups to do"),
                "\(made.errors) against \(counted)"
            )
            let html = try String(contentsOf: page, encoding: .utf8)
            #expect(html.contains("Read at log position <a href=\"#lineage\">\(head)</a>"))
            #expect(!html.contains("<script") && !html.contains("src="), "self-contained: no script, no asset")

            let dom = try await Self.chromium(["--dump-dom"], page: page)
            #expect(
                !dom.contains("CONSOLE"),
                "no console message: \(dom.split(separator: "\n").filter { $0.contains("CONSOLE") })"
            )
            for section in [
                "commitments", "overdue", "fulfilment", "followups", "areas", "themes", "months", "lineage",
            ] {
                #expect(dom.contains("<section id=\"\(section)\">"), "\(section) rendered")
            }
            #expect(dom.components(separatedBy: "<svg").count - 1 >= 5, "a chart per figure section")
            let links = Set(dom.matches(of: /href="#p(\d+)"/).map { String($0.1) })
            let targets = Set(dom.matches(of: /id="p(\d+)"/).map { String($0.1) })
            #expect(!links.isEmpty && links == targets, "every figure's position has its lineage entry")
            #expect(links.compactMap { Int64($0) }.allSatisfy { (1...head).contains($0) })

            let screenshot = folder.appendingPathComponent("report.png")
            _ = try await Self.chromium(["--window-size=1280,2400", "--screenshot=\(screenshot.path)"], page: page)
            let png = try Data(contentsOf: screenshot)
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 20_000, "a screenshot of the page")

            let refused = try await Subprocess.outcome(
                binary,
                ["report", "--html", folder.appendingPathComponent("bad.html").path, "--on", "June"] + connection
            )
            #expect(refused.status == 1, "a date the server refuses exits 1")
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("bad.html").path))

            let one = folder.appendingPathComponent("cbo-1.html")
            let ofOne = try await Subprocess.outcome(
                binary,
                ["report", "--html", one.path, "--org", "cbo-1", "--on", "2025-06-30"] + connection
            )
            #expect(ofOne.status == 0)
            let oneHTML = try String(contentsOf: one, encoding: .utf8)
            #expect(oneHTML.contains("organization cbo-1") && oneHTML.contains("as true on 2025-06-30"))
            #expect(!oneHTML.contains("<th>cbo-2</th>"), "only cbo-1's commitments")
        }
    }
}
