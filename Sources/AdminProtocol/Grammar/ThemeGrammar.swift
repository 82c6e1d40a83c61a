import Domain

/// `THEME ADD name` as the typed theme command.
enum ThemeGrammar {
    static func parse(verb: String, arguments: [String], actor: Principal) throws(DomainError) -> DomainCommand {
        guard verb == "ADD" else { throw DomainGrammar.unknownVerb("THEME", verb) }
        let (name, rest) = try CommandFields.positional(arguments, field: "theme")
        let fields = try CommandFields(rest, allowed: [])
        return try ThemeCommand.add(name: name, actor: actor, expectedVersion: fields.expectedVersion)
    }
}
