import AdminProtocol
import CaselogTesting
import Domain
import Testing

/// Every command × every role: refused with NOPERM exactly when its access rule says so.
@Suite struct RoleMatrixTests {
    /// Arguments enough to get past the arity check without doing harm (they fail validation instead).
    static func probe(_ spec: CommandSpec) -> [String] {
        let words = spec.name.split(separator: " ").map(String.init)
        let count = spec.maximum.map { min(max(spec.minimum, 1), $0) } ?? max(spec.minimum, 1)
        return words + Array(repeating: "x", count: count)
    }

    static let probed = CommandTable.standard.sorted.filter { spec in
        if case .anyone = spec.access { return false }
        return true
    }

    @Test func everyRoleIsRefusedExactlyTheCommandsItsRoleMayNotRun() async throws {
        try await TestServer.with { server in
            try await DomainCommandTests.registerOrganizations(server)
            for role in Role.allCases {
                let token = try await server.token(
                    for: "user-\(role.rawValue)",
                    role: role,
                    organization: role == .coordinator ? "cbo-one" : nil
                )
                try await server.withClient(token: token) { (client) async throws in
                    for spec in Self.probed {
                        let reply = try await client.command(Self.probe(spec))
                        let allowed: Bool
                        switch spec.access {
                        case .anyone, .authenticated: allowed = true
                        case .roles(let roles, _): allowed = roles.contains(role)
                        }
                        #expect(
                            (reply.errorCode == "NOPERM") == !allowed,
                            "\(role) \(spec.name): \(reply)"
                        )
                    }
                }
            }
        }
    }

    @Test func unauthenticatedConnectionsMayOnlyUseTheOpenCommands() async throws {
        try await TestServer.with { server in
            try await server.withClient { (client) async throws in
                for spec in Self.probed {
                    #expect(try await client.command(Self.probe(spec)).errorCode == "NOAUTH", "\(spec.name)")
                }
                #expect(try await client.command("PING") == .pong)
            }
        }
    }
}
