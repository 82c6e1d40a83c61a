/// The organization commands (`ORG REGISTER|RENAME|RETIRE` on the wire): admin-only changes to an
/// `org-<slug>` stream, each with the stream version it expects if any.
public enum OrganizationCommand {
    enum Action: Sendable {
        case register(OrganizationRegistered)
        case rename(OrganizationRenamed)
        case retire(OrganizationRetired)
    }

    /// Registers an organization under `slug` (lowercase letters, digits, '-').
    public static func register(
        slug: String,
        name: String,
        kind: OrganizationKind,
        actor: Principal,
        expectedVersion: Int64? = nil
    ) throws(DomainError) -> DomainCommand {
        let slug = try FieldRules.slug(slug, field: "org")
        let body = OrganizationRegistered(
            name: try FieldRules.text(name, field: "name", limit: FieldRules.titleLimit),
            kind: kind
        )
        return command(slug: slug, .register(body), actor: actor, expectedVersion: expectedVersion)
    }

    /// Renames an organization.
    public static func rename(slug: String, name: String, actor: Principal, expectedVersion: Int64? = nil)
        throws(DomainError) -> DomainCommand
    {
        let slug = try FieldRules.slug(slug, field: "org")
        let body = OrganizationRenamed(name: try FieldRules.text(name, field: "name", limit: FieldRules.titleLimit))
        return command(slug: slug, .rename(body), actor: actor, expectedVersion: expectedVersion)
    }

    /// Retires an organization: it keeps its history and takes no new work.
    public static func retire(slug: String, reason: String? = nil, actor: Principal, expectedVersion: Int64? = nil)
        throws(DomainError) -> DomainCommand
    {
        let slug = try FieldRules.slug(slug, field: "org")
        let body = OrganizationRetired(
            reason: try FieldRules.optionalText(reason, field: "reason", limit: FieldRules.reasonLimit)
        )
        return command(slug: slug, .retire(body), actor: actor, expectedVersion: expectedVersion)
    }

    private static func command(slug: String, _ action: Action, actor: Principal, expectedVersion: Int64?)
        -> DomainCommand
    {
        DomainCommand(
            stream: "org-\(slug)",
            id: slug,
            expectedVersion: expectedVersion,
            related: [],
            actor: actor,
            action: .organization(action)
        )
    }
}

extension OrganizationState {
    func decide(_ command: OrganizationCommand.Action, context: DecisionContext) throws(DomainError)
        -> [OrganizationEvent]
    {
        try context.requireAdmin("only admins manage organizations")
        switch command {
        case .register(let body):
            guard !exists else { throw .conflict("org", "\(id) is already registered") }
            return [.registered(body)]
        case .rename(let body):
            try requireExisting()
            guard !isRetired else { throw .invalid("status", "a retired organization cannot be renamed") }
            guard body.name != name else { throw .invalid("name", "is already the organization's name") }
            return [.renamed(body)]
        case .retire(let body):
            try requireExisting()
            guard !isRetired else { throw .invalid("status", "the organization is already retired") }
            return [.retired(body)]
        }
    }

    private func requireExisting() throws(DomainError) {
        guard exists else { throw .notFound("org", "\(id) does not exist") }
    }
}
