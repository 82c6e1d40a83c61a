/// The theme command (`THEME ADD name` on the wire): an admin extends the vocabulary.
public struct ThemeCommand: Sendable {
    let theme: String

    /// Adds the theme named `name` (kept as its slug, e.g. `Language Access` → `language-access`).
    public static func add(name: String, actor: Principal, expectedVersion: Int64? = nil) throws(DomainError)
        -> DomainCommand
    {
        let theme = try ThemeVocabulary.slug(name)
        return DomainCommand(
            stream: ThemeVocabulary.stream,
            id: theme,
            expectedVersion: expectedVersion,
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
