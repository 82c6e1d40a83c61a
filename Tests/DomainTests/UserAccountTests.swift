import Domain
import Testing

@Suite struct UserAccountTests {
    @Test func addingAUserIssuesATokenThatAuthenticatesUntilRevoked() throws {
        let name = try UserName("cora")
        var account = UserAccount(name: name)
        let (events, token) = try account.add(role: .coordinator, organization: "cbo-one")
        for event in events { account.apply(event) }
        #expect(account.authenticate(token) == Principal(user: "cora", role: .coordinator, organization: "cbo-one"))
        #expect(account.authenticate(AccessToken(user: name, secret: "guess")) == nil)
        #expect(!events.contains { $0.data.contains(token.secret) }, "only the hash is stored")
        for event in try account.revoke(tokenID: nil) { account.apply(event) }
        #expect(account.authenticate(token) == nil)
    }

    @Test func rulesOnRolesAndOrganizations() throws {
        let account = UserAccount(name: try UserName("x"))
        #expect(throws: DomainError.invalid("org", "a coordinator acts for one organization; give ORG")) {
            try account.add(role: .coordinator, organization: nil)
        }
        #expect(throws: DomainError.invalid("org", "only coordinators are bound to an organization")) {
            try account.add(role: .auditor, organization: "cpd")
        }
        #expect(throws: DomainError.self) { try account.changeRole(to: .admin, organization: nil) }
    }

    @Test func eventsRoundTripThroughTheirStoredForm() throws {
        let events: [UserEvent] = [
            .added(role: .leadership, organization: nil), .roleChanged(role: .coordinator, organization: "cpd"),
            .tokenIssued(id: "abc", hash: "def"), .tokenRevoked(id: "abc"), .disabled(reason: "left"),
        ]
        for event in events {
            #expect(try UserEvent(type: event.type, data: event.data) == event)
        }
    }

    @Test func tokensParseAsUserDotSecret() throws {
        let token = AccessToken.generate(for: try UserName("admin"))
        #expect(token.secret.count == 43)
        #expect(AccessToken(parsing: token.text) == token)
        #expect(AccessToken(parsing: "no-dot") == nil)
        #expect(AccessToken(parsing: "Bad.secret") == nil)
    }
}
