import Application
import Domain
import EventLog
import Testing

/// Tokens to principals, and access changes reaching grants made before them.
@Suite struct AccessServiceTests {
    let log = InMemoryLog()
    let name = try! UserName("rita")

    func service(recheckInterval: Duration = .seconds(3600)) -> AccessService {
        AccessService(backend: log, recheckInterval: recheckInterval)
    }

    @Test func aTokenAuthenticatesAsItsUserAndAWrongOneDoesNot() async throws {
        let access = service()
        let token = try await access.add(name, role: .leadership, organization: nil, metadata: "{}")
        let grant = try await access.authenticate(user: nil, token: token.text)
        #expect(grant.principal == Principal(user: "rita", role: .leadership, organization: nil))
        #expect(try await access.authenticate(user: "default", token: token.text).principal == grant.principal)
        #expect(try await access.authenticate(user: "rita", token: token.secret).principal == grant.principal)
        await #expect(throws: CaselogError.invalidToken) { try await access.authenticate(user: nil, token: "rita.x") }
        await #expect(throws: CaselogError.invalidToken) { try await access.authenticate(user: nil, token: "nodot") }
    }

    @Test func aChangeThroughTheServiceReachesEarlierGrantsAtOnce() async throws {
        let access = service()
        let token = try await access.add(name, role: .leadership, organization: nil, metadata: "{}")
        let grant = try await access.authenticate(user: nil, token: token.text)
        #expect(!access.needsRecheck(grant))

        try await access.changeRole(name, to: .auditor, organization: nil, metadata: "{}")
        #expect(access.needsRecheck(grant))
        let changed = try await access.recheck(grant)
        #expect(changed.principal.role == .auditor)
        #expect(!access.needsRecheck(changed))

        #expect(try await access.revoke(name, tokenID: token.id, metadata: "{}") == 1)
        #expect(access.needsRecheck(changed))
        await #expect(throws: CaselogError.invalidToken) { try await access.recheck(changed) }
    }

    @Test func aChangeElsewhereIsSeenOnceTheIntervalPassed() async throws {
        let here = service()
        let elsewhere = service()
        let token = try await here.add(name, role: .admin, organization: nil, metadata: "{}")
        let grant = try await here.authenticate(user: nil, token: token.text)
        try await elsewhere.disable(name, reason: "left", metadata: "{}")
        #expect(!here.needsRecheck(grant))
        #expect(here.needsRecheck(grant, now: .now + here.recheckInterval))
        await #expect(throws: CaselogError.invalidToken) { try await here.recheck(grant) }
    }

    @Test func anUnchangedUserKeepsItsPrincipal() async throws {
        let access = service(recheckInterval: .zero)
        let token = try await access.add(name, role: .admin, organization: nil, metadata: "{}")
        let grant = try await access.authenticate(user: nil, token: token.text)
        #expect(access.needsRecheck(grant))
        #expect(try await access.recheck(grant).principal == grant.principal)
    }
}
