import CaselogTesting
import Foundation
import Testing

/// `caselog import` as a process against a running server: all of a file or nothing, every bad
/// row named, a re-run appending nothing, and the exit codes scripts rely on.
@Suite struct ImportTests {
    /// A file of `count` activity rows of `cbo-one` as a coordinator keeps it; `row` may replace a row's cells.
    static func activities(_ count: Int, row: (Int) -> String? = { _ in nil }) -> String {
        var lines = ["Organization,Activity Type,Date,Community Area,Attendees,Topics"]
        for index in 0..<count {
            lines.append(row(index) ?? "cbo-one,Canvass,5/\(index % 28 + 1)/2025,\(index % 77 + 1),\(index % 50),Trust")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appending(path: "import-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs `caselog import` as the test server's admin.
    static func run(_ arguments: [String], on server: TestServer) async throws -> Subprocess.Outcome {
        try await Subprocess.outcome(
            try ExportTests.binary(),
            ["import"] + arguments + ["--server", "127.0.0.1:\(server.port)"],
            environment: ["CASELOG_TOKEN": server.adminToken]
        )
    }

    static func head(_ server: TestServer) async throws -> Int64? {
        try await server.withClient(token: server.adminToken) { try await DomainCommandTests.head($0) }
    }

    @Test func oneBadRowAmongAThousandAppendsNothingAndNamesThatLine() async throws {
        try await TestServer.with { server in
            try await DomainCommandTests.registerOrganizations(server)
            let before = try await Self.head(server)
            // Row 500 (line 502) has no attendance count: the file is refused before anything is sent.
            let badValue = try Self.write(
                Self.activities(1000) { $0 == 500 ? "cbo-one,Canvass,5/1/2025,30,lots,Trust" : nil }
            )
            let refused = try await Self.run([badValue, "--kind", "activities"], on: server)
            #expect(refused.status == 1)
            #expect(
                refused.errors.contains("line 502, column 'Attendees': 'lots' is not a whole number"),
                "\(refused.errors)"
            )
            #expect(refused.errors.contains("1 problem; nothing of the file was appended"))

            // Row 700 (line 702) names an organization that is not registered: only the server can
            // tell, when it decides the batch; the batch appends nothing.
            let badRule = try Self.write(
                Self.activities(1000) { $0 == 700 ? "cbo-nine,Canvass,5/1/2025,30,5,Trust" : nil }
            )
            let rejected = try await Self.run([badRule, "--kind", "activities"], on: server)
            #expect(rejected.status == 1)
            let lines = rejected.errors.split(separator: "\n").filter { $0.contains(": line ") }
            #expect(
                lines.count == 1
                    && lines.first?.contains("line 702, column 'Organization': organization cbo-nine does not exist")
                        == true,
                "\(rejected.errors)"
            )
            #expect(try await Self.head(server) == before, "nothing of either file is in the log")
        }
    }

    /// The example files' organization, `cbo-1`, as the demo history names it (the README imports
    /// them into the demo server).
    static func registerTheExamplesOrganization(_ server: TestServer) async throws {
        try await server.withClient(token: server.adminToken) { (admin) async throws in
            let reply = try await admin.command("ORG", "REGISTER", "cbo-1", "NAME", "One", "KIND", "cbo")
            #expect(reply["stream"]?.text == "org-cbo-1", "\(reply)")
        }
    }

    @Test func importingTheSameFileTwiceAppendsOnce() async throws {
        try await TestServer.with { server in
            try await Self.registerTheExamplesOrganization(server)
            let before = try #require(try await Self.head(server))
            let file = ExportTests.root.appending(path: "docs/examples/activities.csv").path
            let first = try await Self.run([file, "--kind", "activities"], on: server)
            #expect(first.status == 0, "\(first.errors)")
            #expect(
                first.output.contains("appended 5 rows at log positions \(before + 1)-\(before + 5) in 1 batch"),
                "\(first.output)"
            )
            let again = try await Self.run([file, "--kind", "activities", "--chunk", "2"], on: server)
            #expect(again.status == 0, "\(again.errors)")
            #expect(
                again.output.contains("appended 0 rows in 3 batches; 5 rows were already imported"),
                "\(again.output)"
            )
            #expect(try await Self.head(server) == before + 5)
        }
    }

    /// The example files import as they are, in the order their references need: the follow-up
    /// is about the case whose id the cases file gives.
    @Test func theExampleFilesImport() async throws {
        try await TestServer.with { server in
            try await Self.registerTheExamplesOrganization(server)
            let examples = ExportTests.root.appending(path: "docs/examples")
            for (file, rows) in [("cases", 2), ("commitments", 2), ("activities", 5), ("followups", 1)] {
                let outcome = try await Self.run(
                    [examples.appending(path: "\(file).csv").path, "--kind", file],
                    on: server
                )
                #expect(outcome.status == 0, "\(file): \(outcome.errors)")
                #expect(outcome.output.contains("appended \(rows) row\(rows == 1 ? "" : "s")"), "\(outcome.output)")
            }
        }
    }

    @Test func chunksAreEachAtomicAndADryRunAppendsNothing() async throws {
        try await TestServer.with { server in
            try await DomainCommandTests.registerOrganizations(server)
            let before = try #require(try await Self.head(server))
            let file = try Self.write(Self.activities(30))
            let dry = try await Self.run([file, "--kind", "activities", "--dry-run"], on: server)
            #expect(dry.status == 0 && dry.output.contains("30 rows are valid; nothing was appended"), "\(dry.output)")
            // A theme only the server knows is refused by the check before any batch is sent.
            let unknownTheme = try Self.write(
                Self.activities(30) { $0 == 25 ? "cbo-one,Canvass,5/1/2025,30,5,Bowling" : nil }
            )
            let checked = try await Self.run([unknownTheme, "--kind", "activities", "--chunk", "10"], on: server)
            #expect(checked.status == 1)
            #expect(
                checked.errors.contains("line 27, column 'Topics': 'bowling' is not in the theme vocabulary"),
                "\(checked.errors)"
            )
            #expect(try await Self.head(server) == before)

            let chunked = try await Self.run([file, "--kind", "activities", "--chunk", "10"], on: server)
            #expect(chunked.status == 0 && chunked.output.contains("appended 30 rows"), "\(chunked.output)")
            let events = try await server.withClient(token: server.adminToken) { client in
                try await client.command("LOG", "READ", "FROM", String(before + 1), "COUNT", "100")
            }
            guard case .array(let items) = events else { Issue.record("\(events)"); return }
            let correlations = Set(
                items.compactMap { item in
                    item["metadata"]?.text?.firstMatch(of: /"correlation_id":"([^"]+)"/).map { String($0.1) }
                }
            )
            #expect(items.count == 30 && correlations.count == 3, "one correlation per batch: \(correlations)")
        }
    }

    @Test func exitCodes() async throws {
        let binary = try ExportTests.binary()
        let file = try Self.write(Self.activities(2))
        let usage = try await Subprocess.outcome(binary, ["import", file])
        #expect(usage.status == 2, "--kind is required")
        let unknownKind = try await Subprocess.outcome(binary, ["import", file, "--kind", "parades"])
        #expect(unknownKind.status == 2)
        let tooLarge = try await Subprocess.outcome(
            binary,
            ["import", file, "--kind", "activities", "--chunk", "20001"]
        )
        #expect(tooLarge.status == 2 && tooLarge.errors.contains("use --chunk 20000 or fewer"), "\(tooLarge.errors)")
        let unreachable = try await Subprocess.outcome(
            binary,
            ["import", file, "--kind", "activities", "--server", "127.0.0.1:1", "--token", "x.y"]
        )
        #expect(unreachable.status == 3)
        try await TestServer.with { server in
            let unauthorized = try await Subprocess.outcome(
                binary,
                [
                    "import", file, "--kind", "activities", "--server", "127.0.0.1:\(server.port)", "--token",
                    "nobody.secret",
                ]
            )
            #expect(unauthorized.status == 3)
        }
    }
}
