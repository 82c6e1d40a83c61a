/// The themes activities and cases are tagged with: a seed from the initiative plus those admins added.
public struct ThemeVocabulary: Sendable, Hashable {
    /// The stream holding the `ThemeAdded` events.
    public static let stream = "theme-vocabulary"

    /// The themes every vocabulary starts with, from the 2024 engagement initiative.
    public static let seed = [
        "community-engaged-policing", "alternate-response", "call-triage", "reducing-silos", "response-team-design",
        "trust", "youth", "behavioral-health", "co-responders", "community-responders", "workforce-allocation",
        "consent-decree", "accountability",
    ]

    /// Seed and added themes, sorted.
    public private(set) var themes: [String]

    /// Folds the `theme-vocabulary` stream onto the seed; events it cannot read are skipped.
    public init(history: [EventPayload]) {
        var themes = Set(Self.seed)
        for payload in history {
            if case .added(let body)? = try? ThemeEvent(payload) { themes.insert(body.theme) }
        }
        self.themes = themes.sorted()
    }

    /// Whether `theme` (a slug) is in the vocabulary.
    public func contains(_ theme: String) -> Bool { themes.contains(theme) }

    /// The slug of a theme name: lowercase letters and digits, other runs as `-` (`Call Triage` → `call-triage`).
    public static func slug(_ name: String, field: String = "theme") throws(DomainError) -> String {
        var slug = ""
        for scalar in name.lowercased().unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty, slug.last != "-" {
                slug.append("-")
            }
        }
        if slug.last == "-" { slug.removeLast() }
        return try FieldRules.slug(slug.isEmpty ? name : slug, field: field)
    }

    /// The slugs of theme names or slugs, duplicates removed, in the order given.
    public static func slugs(_ names: [String], field: String = "themes") throws(DomainError) -> [String] {
        var themes: [String] = []
        for name in try FieldRules.list(names, field: field) {
            let theme = try slug(name, field: field)
            if !themes.contains(theme) { themes.append(theme) }
        }
        return themes
    }

    /// Refuses any of `themes` (slugs) that is not in the vocabulary.
    func validate(_ themes: [String], field: String = "themes") throws(DomainError) {
        for theme in themes where !contains(theme) {
            throw .invalid(field, "'\(theme)' is not in the theme vocabulary; see THEME LIST")
        }
    }
}
