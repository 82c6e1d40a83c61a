/// A user's current state, folded from the `user-<name>` stream, and the decisions on it.
public struct UserAccount: Sendable, Hashable {
    public let name: UserName
    public private(set) var role: Role = .auditor
    public private(set) var organization: String?
    /// Live tokens: id → SHA-256 of the secret.
    public private(set) var tokens: [String: String] = [:]
    public private(set) var exists = false
    public private(set) var isDisabled = false

    public init(name: UserName) {
        self.name = name
    }

    /// Folds `events` (in stream order) onto a fresh account.
    public init(name: UserName, events: [UserEvent]) {
        self.init(name: name)
        for event in events { apply(event) }
    }

    public mutating func apply(_ event: UserEvent) {
        switch event {
        case .added(let role, let organization), .roleChanged(let role, let organization):
            exists = true
            self.role = role
            self.organization = organization
        case .tokenIssued(let id, let hash): tokens[id] = hash
        case .tokenRevoked(let id): tokens[id] = nil
        case .disabled:
            isDisabled = true
            tokens = [:]
        }
    }

    /// The principal this account acts as.
    public var principal: Principal { Principal(user: name.rawValue, role: role, organization: organization) }

    /// The principal if `token` is one of this account's live tokens.
    public func authenticate(_ token: AccessToken) -> Principal? {
        guard exists, !isDisabled, token.user == name, tokens[token.id] == token.hash else { return nil }
        return principal
    }

    /// Adding a user: the grant and its first token. Coordinators need an organization, others have none.
    public func add(role: Role, organization: String?) throws(DomainError) -> (events: [UserEvent], token: AccessToken)
    {
        guard !exists else { throw DomainError(.conflict, "user: \(name) already exists") }
        try Self.checkOrganization(role: role, organization: organization)
        let token = AccessToken.generate(for: name)
        return ([.added(role: role, organization: organization), .tokenIssued(id: token.id, hash: token.hash)], token)
    }

    /// A new token for an existing, enabled user.
    public func issueToken() throws(DomainError) -> (events: [UserEvent], token: AccessToken) {
        try requireActive()
        let token = AccessToken.generate(for: name)
        return ([.tokenIssued(id: token.id, hash: token.hash)], token)
    }

    public func changeRole(to role: Role, organization: String?) throws(DomainError) -> [UserEvent] {
        try requireActive()
        try Self.checkOrganization(role: role, organization: organization)
        return [.roleChanged(role: role, organization: organization)]
    }

    /// Revokes one token by id, or every live token when `id` is nil.
    public func revoke(tokenID id: String?) throws(DomainError) -> [UserEvent] {
        guard exists else { throw DomainError(.notFound, "user: \(name) does not exist") }
        if let id {
            guard tokens[id] != nil else { throw DomainError(.notFound, "token: \(id) is not a live token of \(name)") }
            return [.tokenRevoked(id: id)]
        }
        return tokens.keys.sorted().map { .tokenRevoked(id: $0) }
    }

    public func disable(reason: String) throws(DomainError) -> [UserEvent] {
        try requireActive()
        return [.disabled(reason: reason)]
    }

    private func requireActive() throws(DomainError) {
        guard exists else { throw DomainError(.notFound, "user: \(name) does not exist") }
        guard !isDisabled else { throw DomainError(.invalid, "user: \(name) is disabled") }
    }

    /// A coordinator's organization must exist and not be retired: every write of theirs would be refused.
    public static func requireActive(_ organization: OrganizationState) throws(DomainError) {
        guard organization.exists else {
            throw .invalid("org", "organization \(organization.id) does not exist; register it first (ORG REGISTER)")
        }
        guard !organization.isRetired else {
            throw .invalid("org", "organization \(organization.id) is retired and takes no new coordinators")
        }
    }

    private static func checkOrganization(role: Role, organization: String?) throws(DomainError) {
        if role == .coordinator, organization?.isEmpty ?? true {
            throw .invalid("org", "a coordinator acts for one organization; give ORG")
        }
        if role != .coordinator, organization != nil {
            throw .invalid("org", "only coordinators are bound to an organization")
        }
    }
}
