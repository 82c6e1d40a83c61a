import Domain

/// `ORG REGISTER|RENAME|RETIRE slug FIELD value …` as typed organization commands.
enum OrganizationGrammar {
    static func parse(verb: String, arguments: [String], actor: Principal) throws(DomainError) -> DomainCommand {
        let (slug, rest) = try CommandFields.positional(arguments, field: "org")
        switch verb {
        case "REGISTER":
            let fields = try CommandFields(rest, allowed: ["name", "kind"])
            return try OrganizationCommand.register(
                slug: slug,
                name: try fields.required("name"),
                kind: try OrganizationKind(parsing: try fields.required("kind")),
                actor: actor,
                expectedVersion: fields.expectedVersion
            )
        case "RENAME":
            let fields = try CommandFields(rest, allowed: ["name"])
            return try OrganizationCommand.rename(
                slug: slug,
                name: try fields.required("name"),
                actor: actor,
                expectedVersion: fields.expectedVersion
            )
        case "RETIRE":
            let fields = try CommandFields(rest, allowed: ["reason"])
            return try OrganizationCommand.retire(
                slug: slug,
                reason: fields.value("reason"),
                actor: actor,
                expectedVersion: fields.expectedVersion
            )
        default: throw DomainGrammar.unknownVerb("ORG", verb)
        }
    }
}
