/// `THEME ADD name`: an admin extends the vocabulary.
struct ThemeCommand: Sendable {
    let theme: String

    static func parse(verb: String, arguments: [String], actor: Principal) throws(DomainError) -> DomainCommand {
        guard verb == "ADD" else { throw DomainCommand.unknownVerb("THEME", verb) }
        let (name, rest) = try CommandFields.positional(arguments, field: "theme")
        let fields = try CommandFields(rest, allowed: [])
        let theme = try ThemeVocabulary.slug(name)
        return DomainCommand(
            stream: ThemeVocabulary.stream,
            id: theme,
            expectedVersion: fields.expectedVersion,
            related: [],
            actor: actor,
            action: .theme(ThemeCommand(theme: theme))
        )
    }

    func decide(history: [EventPayload], context: DecisionContext) throws(DomainError) -> [ThemeEvent] {
        try context.requireAdmin("only admins extend the theme vocabulary")
        guard !ThemeVocabulary(history: history).contains(theme) else {
            throw .conflict("theme", "\(theme) is already in the vocabulary")
        }
        return [.added(ThemeAdded(theme: theme))]
    }
}
