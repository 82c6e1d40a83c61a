/// `ORG REGISTER|RENAME|RETIRE`: admin-only changes to an `org-<slug>` stream.
enum OrganizationCommand: Sendable {
    case register(OrganizationRegistered)
    case rename(OrganizationRenamed)
    case retire(OrganizationRetired)

    static func parse(verb: String, arguments: [String], actor: Principal) throws(DomainError) -> DomainCommand {
        let (slug, rest) = try CommandFields.positional(arguments, field: "org")
        let id = try FieldRules.slug(slug, field: "org")
        let command: OrganizationCommand
        let fields: CommandFields
        switch verb {
        case "REGISTER":
            fields = try CommandFields(rest, allowed: ["name", "kind"])
            command = .register(
                OrganizationRegistered(
                    name: try fields.requiredText("name", limit: FieldRules.titleLimit),
                    kind: try OrganizationKind(parsing: try fields.required("kind"))
                )
            )
        case "RENAME":
            fields = try CommandFields(rest, allowed: ["name"])
            command = .rename(OrganizationRenamed(name: try fields.requiredText("name", limit: FieldRules.titleLimit)))
        case "RETIRE":
            fields = try CommandFields(rest, allowed: ["reason"])
            command = .retire(OrganizationRetired(reason: try fields.text("reason", limit: FieldRules.reasonLimit)))
        default: throw DomainCommand.unknownVerb("ORG", verb)
        }
        return DomainCommand(
            stream: "org-\(id)",
            id: id,
            expectedVersion: fields.expectedVersion,
            related: [],
            actor: actor,
            action: .organization(command)
        )
    }
}

extension OrganizationState {
    func decide(_ command: OrganizationCommand, context: DecisionContext) throws(DomainError) -> [OrganizationEvent] {
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
