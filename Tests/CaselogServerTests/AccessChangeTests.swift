import AdminProtocol
import CaselogTesting
import Domain
import Testing

/// Access changes reach connections that authenticated before them, on their next command.
@Suite struct AccessChangeTests {
    @Test func aRevokedTokenLogsItsConnectionOut() async throws {
        try await TestServer.with { server in
            let token = try await server.token(for: "lee", role: .leadership)
            try await server.withClient(token: token) { (lee) async throws in
                #expect(try await lee.command("WHOAMI")["user"]?.text == "lee")
                try await server.withClient(token: server.adminToken) { (admin) async throws in
                    #expect(try await admin.command("USER", "REVOKE", "lee") == .integer(1))
                }
                let refused = try await lee.command("LOG", "HEAD")
                #expect(refused == .error("NOAUTH invalid token, or the user is disabled"))
                #expect(try await lee.command("WHOAMI") == .error("NOAUTH authentication required; use AUTH <token>"))
                #expect(try await lee.command("PING") == .pong)
            }
        }
    }

    @Test func aDisabledUserIsRefused() async throws {
        try await TestServer.with { server in
            let token = try await server.token(for: "ada", role: .auditor)
            try await server.withClient(token: token) { (ada) async throws in
                #expect(try await ada.command("LOG", "HEAD")["position"] != nil)
                try await server.withClient(token: server.adminToken) { (admin) async throws in
                    #expect(try await admin.command("USER", "DISABLE", "ada", "REASON", "left") == .ok)
                }
                #expect(try await ada.command("LOG", "HEAD").errorCode == "NOAUTH")
            }
        }
    }

    @Test func aChangedRoleAppliesToTheNextCommand() async throws {
        try await TestServer.with { server in
            let token = try await server.token(for: "lee", role: .leadership)
            try await server.withClient(token: token) { (lee) async throws in
                #expect(try await lee.command("LOG", "READ", "FROM", "1").errorCode == nil)
                try await server.withClient(token: server.adminToken) { (admin) async throws in
                    let changed = try await admin.command(
                        "USER",
                        "ROLE",
                        "lee",
                        "ROLE",
                        "coordinator",
                        "ORG",
                        "cbo-one"
                    )
                    #expect(changed == .ok)
                }
                let refused = try await lee.command("LOG", "READ", "FROM", "1")
                #expect(refused.errorCode == "NOPERM")
                #expect(refused.text?.contains("coordinator may not run log read") == true, "\(refused)")
                #expect(try await lee.command("WHOAMI")["role"]?.text == "coordinator")
            }
        }
    }
}
