import CaselogTesting
import Foundation
import Testing

/// `caselog <noun> <verb>` against a running server, as a coordinator or leadership would type it.
@Suite struct ClientCommandTests {
    @Test func nounsAndVerbsTranslateAndAnswerForPeopleAndScripts() async throws {
        let binary = try ExportTests.binary()
        try await TestServer.with(readModels: true) { server in
            let caselog = { (words: [String]) async throws -> Subprocess.Outcome in
                try await Subprocess.outcome(
                    binary,
                    words + ["--server", "127.0.0.1:\(server.port)"],
                    environment: ["CASELOG_TOKEN": server.adminToken]
                )
            }
            let registered = try await caselog(["org", "register", "cbo-one", "--name", "One", "--kind", "cbo"])
            #expect(registered.status == 0 && registered.output.contains(#""stream":"org-cbo-one""#))

            let logged = try await caselog([
                "activity", "log", "--org", "cbo-one", "--kind", "canvass", "--attendance", "12",
                "--occurred-on", "2025-05-01", "--community-area", "Little Village", "--json",
            ])
            #expect(logged.status == 0)
            let reply = try JSONSerialization.jsonObject(with: Data(logged.output.utf8)) as? [String: Any]
            let id = try #require(reply?["id"] as? String, "\(logged.output)")
            let shown = try await caselog(["activity", "get", id, "--csv"])
            #expect(shown.output.split(separator: "\n").first?.hasPrefix("id,status,org,kind") == true)
            #expect(shown.output.contains("30 South Lawndale"))

            let made = try await caselog([
                "commitment", "make", "--owner-org", "cbo-one", "--text", "Publish the findings", "--made-to",
                "residents", "--made-on", "2025-01-10", "--due-on", "2025-03-01", "--json",
            ])
            let position = try #require(
                (try JSONSerialization.jsonObject(with: Data(made.output.utf8)) as? [String: Any])?["position"] as? Int
            )
            let overdue = try await caselog(["commitment", "list", "--overdue", "--after", String(position)])
            let rows = overdue.output.split(separator: "\n")
            #expect(rows.count == 1 && rows[0].contains(#""text":"Publish the findings""#), "\(overdue.output)")

            // A list without --limit is read to the end, page after page, following the cursor.
            var opened = ""
            try await server.withClient(token: server.adminToken) { (client) async throws in
                for number in 1...105 {
                    let reply = try await client.command(
                        "CASE",
                        "OPEN",
                        "TITLE",
                        "Case \(number)",
                        "LEAD_ORG",
                        "cbo-one"
                    )
                    opened = try #require(reply["position"]?.text, "\(reply)")
                }
            }
            let cases = try await caselog(["case", "list", "--after", opened, "--json"])
            let caseLines = cases.output.split(separator: "\n")
            #expect(cases.status == 0 && caseLines.count == 105, "two pages of the default 100, read to the end")
            #expect(Set(caseLines).count == 105)
            let twoCases = try await caselog(["case", "list", "--limit", "2", "--after", opened, "--json"])
            #expect(twoCases.output.split(separator: "\n").filter { $0.hasPrefix("{") }.count == 2)
        }
    }

    /// What bash completes after `words` with the script `caselog --generate-completion-script bash` writes.
    static func bashCompletes(_ words: [String], binary: String) async throws -> [String] {
        let folder = URL(fileURLWithPath: binary).deletingLastPathComponent().path
        let line = words.joined(separator: " ")
        let script = """
            export PATH='\(folder)':"$PATH"
            source <(caselog --generate-completion-script bash)
            COMP_LINE='\(line)'; COMP_WORDS=(\(words.map { "'\($0)'" }.joined(separator: " ")))
            COMP_CWORD=\(words.count - 1); COMP_POINT=${#COMP_LINE}; COMPREPLY=()
            _caselog
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        return try await Subprocess.run("bash", ["-c", script]).split(separator: "\n").map(String.init)
    }

    @Test func bashCompletesNounsVerbsAndTheVerbsOptions() async throws {
        let binary = try ExportTests.binary()
        let commands = Set(try await Self.bashCompletes(["caselog", ""], binary: binary))
        #expect(commands.isSuperset(of: ["report", "export", "verify", "commitment", "activity"]), "\(commands)")
        #expect(try await Self.bashCompletes(["caselog", "commitment", "l"], binary: binary) == ["list"])
        #expect(
            Set(try await Self.bashCompletes(["caselog", "commitment", "list", "--o"], binary: binary))
                == ["--org", "--overdue", "--on"]
        )
        #expect(
            try await Self.bashCompletes(["caselog", "activity", "stats", "--b"], binary: binary) == ["--by"]
        )
    }

    @Test func exitCodesSayWhatWentWrong() async throws {
        let binary = try ExportTests.binary()
        try await TestServer.with { server in
            let address = ["--server", "127.0.0.1:\(server.port)"]
            let refused = try await Subprocess.outcome(
                binary,
                ["commitment", "fulfil", "not-a-uuid", "--evidence", "x", "--token", server.adminToken] + address
            )
            #expect(refused.status == 1, "INVALID is a rule's refusal")
            let unknown = try await Subprocess.outcome(
                binary,
                ["commitment", "frob", "--token", server.adminToken] + address
            )
            #expect(unknown.status == 2)
            let unauthorized = try await Subprocess.outcome(
                binary,
                ["log", "head", "--token", "nobody.secret"] + address
            )
            #expect(unauthorized.status == 3)
            let help = try await Subprocess.outcome(binary, ["commitment", "--help"])
            #expect(help.status == 0 && help.output.contains("caselog commitment list --overdue --org cbo-1"))
        }
    }

    @Test func loginSavesTheTokenForItsOwnerOnlyAndRefusesAFileOthersCanRead() async throws {
        let binary = try ExportTests.binary()
        let home = FileManager.default.temporaryDirectory.appending(path: "login-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: home) }
        try await TestServer.with { server in
            let environment = ["XDG_CONFIG_HOME": home, "CASELOG_TOKEN": "", "CASELOG_SERVER": ""]
            let login = try await Subprocess.outcome(
                binary,
                ["login", "--server", "127.0.0.1:\(server.port)"],
                input: server.adminToken + "\n",
                environment: environment
            )
            #expect(login.status == 0 && login.output.contains(#""user":"admin""#), "\(login.output)")
            let file = home + "/caselog/config"
            let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600)

            let head = try await Subprocess.outcome(binary, ["log", "head", "--json"], environment: environment)
            #expect(head.status == 0 && head.output.hasPrefix(#"{"position":"#), "the saved server and token")

            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
            let refused = try await Subprocess.outcome(binary, ["log", "head"], environment: environment)
            #expect(refused.status == 2, "a token file others can read is not used")
        }
    }
}
