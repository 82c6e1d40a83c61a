import CaselogTesting
import Foundation
import ProtocolClient
import Testing

/// `caselog export` against a running server and `caselog verify --file` with no server, run as
/// an auditor would run them.
@Suite struct ExportTests {
    static func binary() throws -> String {
        guard let path = ProcessInfo.processInfo.environment["CASELOG_BIN"] else {
            throw TestEnvironmentError("CASELOG_BIN is not set: run the tests with scripts/test.sh")
        }
        return path
    }

    static let root = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A few events of a few kinds, and an auditor's token.
    static func history(_ server: TestServer) async throws -> String {
        try await server.withClient(token: server.adminToken) { client in
            _ = try await client.command("ORG", "REGISTER", "cbo-one", "NAME", "One, \"the first\"", "KIND", "cbo")
            _ = try await client.command("ORG", "RENAME", "cbo-one", "NAME", "One\nOrganization")
            _ = try await client.command(
                "STREAM",
                "APPEND",
                "note-1",
                "no-stream",
                #"{"type":"Noted","data":{"text":"é ✓"}}"#
            )
        }
        return try await server.token(for: "audrey", role: .auditor)
    }

    @Test func anAuditorsExportVerifiesOfflineAndByTheIndependentRecipe() async throws {
        let binary = try Self.binary()
        try await TestServer.with { server in
            let token = try await Self.history(server)
            let directory = FileManager.default.temporaryDirectory.appending(path: "export-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let jsonl = directory.appending(path: "history.jsonl").path
            let server = ["--server", "127.0.0.1:\(server.port)"]

            let exported = try await Subprocess.outcome(
                binary,
                ["export", "-o", jsonl] + server,
                environment: ["CASELOG_TOKEN": token]
            )
            #expect(exported.status == 0)
            let lines = try String(contentsOfFile: jsonl, encoding: .utf8).split(separator: "\n")
            let head = try await Self.headPosition(port: Int(server[1].split(separator: ":")[1])!, token: token)
            #expect(lines.count == head, "every event from 1 to the head")

            let verified = try await Subprocess.outcome(binary, ["verify", "--file", jsonl])
            #expect(verified.status == 0, "\(verified.output)")
            #expect(verified.output.hasPrefix("intact: \(head) events, positions 1–\(head) in one unbroken run"))

            let csv = try await Subprocess.outcome(
                binary,
                ["export", "--format", "csv", "--token", token] + server
            )
            #expect(csv.status == 0)
            let recipe = try await Subprocess.outcome(
                "python3",
                [Self.root.appending(path: "docs/verify_chain.py").path],
                input: csv.output
            )
            #expect(recipe.status == 0 && recipe.output.hasPrefix("ok \(head) events"), "\(recipe.output)")

            let stream = try await Subprocess.outcome(
                binary,
                ["export", "--stream", "org-cbo-one", "--token", token] + server
            )
            #expect(stream.output.split(separator: "\n").count == 2)
        }
    }

    @Test func aLineRemovedFromAWholeExportIsABreakAndAFilteredExportPassesWhenSaidSo() async throws {
        let binary = try Self.binary()
        try await TestServer.with { server in
            let token = try await Self.history(server)
            // The organization's third event comes after others: its stream's export has a gap.
            _ = try await server.withClient(token: server.adminToken) { client in
                try await client.command("ORG", "RENAME", "cbo-one", "NAME", "One again")
            }
            let directory = FileManager.default.temporaryDirectory.appending(path: "gaps-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let server = ["--server", "127.0.0.1:\(server.port)", "--token", token]

            let whole = try await Subprocess.outcome(binary, ["export"] + server)
            var lines = whole.output.split(separator: "\n").map(String.init)
            lines.remove(at: 2)
            let removed = directory.appending(path: "removed.jsonl").path
            try lines.joined(separator: "\n").write(toFile: removed, atomically: true, encoding: .utf8)
            let broken = try await Subprocess.outcome(binary, ["verify", "--file", removed])
            #expect(broken.status == 1, "\(broken.output)")
            #expect(broken.output.hasPrefix("broken: 1 of positions 1–\(lines.count + 1) are missing"))

            let stream = directory.appending(path: "stream.jsonl").path
            let exported = try await Subprocess.outcome(
                binary,
                ["export", "--stream", "org-cbo-one", "-o", stream] + server
            )
            #expect(exported.status == 0)
            let unsaid = try await Subprocess.outcome(binary, ["verify", "--file", stream])
            #expect(unsaid.status == 1, "\(unsaid.output)")
            let said = try await Subprocess.outcome(binary, ["verify", "--file", stream, "--filtered"])
            #expect(said.status == 0, "\(said.output)")
            #expect(said.output.hasPrefix("intact: 3 events"), "\(said.output)")
        }
    }

    @Test func anAlteredLineIsNamedAndExitsOne() async throws {
        let binary = try Self.binary()
        try await TestServer.with { server in
            let token = try await Self.history(server)
            let exported = try await Subprocess.outcome(
                binary,
                ["export", "--server", "127.0.0.1:\(server.port)", "--token", token]
            )
            var lines = exported.output.split(separator: "\n").map(String.init)
            let index = try #require(lines.firstIndex { $0.contains("OrganizationRenamed") })
            lines[index] = lines[index].replacingOccurrences(of: "Organization\\\"", with: "Organisation\\\"")
            let file = FileManager.default.temporaryDirectory.appending(path: "altered-\(UUID()).jsonl").path
            try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let verified = try await Subprocess.outcome(binary, ["verify", "--file", file])
            #expect(verified.status == 1)
            #expect(
                verified.output.hasPrefix("broken at line \(index + 1): position \(index + 1): content does not match")
            )
        }
    }

    @Test func noTokenOrNoServerExitsThreeSayingWhatToDo() async throws {
        let binary = try Self.binary()
        try await TestServer.with { server in
            let refused = try await Subprocess.outcome(
                binary,
                ["export", "--server", "127.0.0.1:\(server.port)", "--token", "nobody.secret"]
            )
            #expect(refused.status == 3)
            let anonymous = try await Subprocess.outcome(
                binary,
                ["export", "--server", "127.0.0.1:\(server.port)"],
                environment: ["CASELOG_TOKEN": "", "XDG_CONFIG_HOME": "/nonexistent"]
            )
            #expect(anonymous.status == 3, "NOAUTH: unauthorized")
        }
        let unreachable = try await Subprocess.outcome(binary, ["export", "--server", "127.0.0.1:1"])
        #expect(unreachable.status == 3)
        let usage = try await Subprocess.outcome(binary, ["export", "--server", "nowhere"])
        #expect(usage.status == 2, "a usage error")
    }

    static func headPosition(port: Int, token: String) async throws -> Int {
        try await RESPClient.with(port: port) { client in
            _ = try await client.command("AUTH", token)
            guard case .integer(let position) = try await client.command("LOG", "HEAD")["position"] else {
                throw TestEnvironmentError("LOG HEAD has no position")
            }
            return Int(position)
        }
    }
}
