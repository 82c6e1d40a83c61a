import CaselogTesting
import Foundation
import Testing

/// `caselog user …` run as operators run it, a process on the database, against a serving server.
@Suite struct UserCommandLineTests {
    static func caselog(_ arguments: [String], _ server: TestServer) async throws -> Subprocess.Outcome {
        guard let binary = ProcessInfo.processInfo.environment["CASELOG_BIN"] else {
            throw TestEnvironmentError("CASELOG_BIN is not set: run the tests with scripts/test.sh")
        }
        return try await Subprocess.outcome(
            binary,
            ["user"] + arguments + ["--database-url", server.database.url, "--log-level", "error"]
        )
    }

    @Test func aLostAdminTokenIsReplacedWithANewOne() async throws {
        try await TestServer.with { server in
            let issued = try await Self.caselog(["token", "admin"], server)
            #expect(issued.status == 0)
            let token = issued.output.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(token.hasPrefix("admin."))
            #expect(token != server.adminToken)
            try await server.withClient(token: token) { (client) async throws in
                #expect(try await client.command("WHOAMI")["role"]?.text == "admin")
                #expect(try await client.command("USER", "ADD", "lee", "ROLE", "auditor").errorCode == nil)
            }
            let unknown = try await Self.caselog(["token", "nobody"], server)
            #expect(unknown.status != 0)
            #expect(unknown.output.isEmpty)
        }
    }

    @Test func aDisabledUsersTokenIsRefused() async throws {
        try await TestServer.with { server in
            let token = try await server.token(for: "lee", role: .auditor)
            try await server.withClient(token: token) { (client) async throws in
                #expect(try await client.command("LOG", "HEAD").errorCode == nil)
            }
            let disabled = try await Self.caselog(["disable", "lee"], server)
            #expect(disabled.status == 0)
            #expect(disabled.output == "disabled lee\n")
            try await server.withClient { (client) async throws in
                #expect(try await client.command("AUTH", token).errorCode == "NOAUTH")
            }
            #expect(try await Self.caselog(["disable", "lee"], server).status != 0)
        }
    }

    @Test func theListShowsNamesRolesOrganizationsAndState() async throws {
        try await TestServer.with { server in
            _ = try await server.token(for: "lee", role: .auditor)
            _ = try await server.token(for: "kim", role: .leadership)
            let changed = try await Self.caselog(["role", "kim", "--role", "coordinator", "--org", "cbo-1"], server)
            #expect(changed.status == 0)
            #expect(changed.output == "kim is coordinator of cbo-1\n")
            #expect(try await Self.caselog(["disable", "lee"], server).status == 0)
            let listed = try await Self.caselog(["list"], server)
            #expect(listed.status == 0)
            let rows = listed.output.split(separator: "\n").map {
                $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            }
            #expect(rows.first == ["NAME", "ROLE", "ORG", "STATE", "TOKENS"])
            let byName = Dictionary(rows.dropFirst().map { ($0[0], Array($0[1...3])) }, uniquingKeysWith: { a, _ in a })
            #expect(byName["admin"] == ["admin", "-", "active"])
            #expect(byName["kim"] == ["coordinator", "cbo-1", "active"])
            #expect(byName["lee"] == ["auditor", "-", "disabled"])
            #expect(rows.count == 4, "\(listed.output)")
        }
    }
}
