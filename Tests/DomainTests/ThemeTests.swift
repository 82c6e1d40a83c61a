import Domain
import Testing

@Suite struct ThemeTests {
    @Test func theSeedHoldsTheInitiativesThemesAsSlugs() {
        let vocabulary = ThemeVocabulary(history: [])
        for theme in [
            "community-engaged-policing", "alternate-response", "call-triage", "reducing-silos", "response-team-design",
            "trust", "youth", "behavioral-health",
        ] {
            #expect(vocabulary.contains(theme))
        }
        #expect(vocabulary.themes == vocabulary.themes.sorted())
        #expect(vocabulary.themes.count == ThemeVocabulary.seed.count)
    }

    @Test func adminsAddThemesThatCasesAndActivitiesMayThenUse() throws {
        var world = try World.standard()
        #expect(
            world.refusal("CASE OPEN LEAD_ORG cpd TITLE t THEMES 'Language Access'")
                == .invalid("themes", "'language-access' is not in the theme vocabulary; see THEME LIST")
        )
        #expect(try world.run("THEME ADD 'Language Access'") == "language-access")
        #expect(
            world.streams["theme-vocabulary"] == [
                EventPayload(type: "ThemeAdded", data: #"{"schema":1,"theme":"language-access"}"#)
            ]
        )
        try world.run("CASE OPEN LEAD_ORG cpd TITLE t THEMES 'language access,youth'")
        let vocabulary = ThemeVocabulary(history: world.streams["theme-vocabulary"] ?? [])
        #expect(vocabulary.themes.contains("language-access"))
        #expect(vocabulary.themes == vocabulary.themes.sorted())
    }

    @Test func addingAKnownThemeConflictsAndOnlyAdminsAdd() throws {
        var world = try World.standard()
        #expect(world.refusal("THEME ADD Youth") == .conflict("theme", "youth is already in the vocabulary"))
        try world.run("THEME ADD housing")
        #expect(world.refusal("THEME ADD HOUSING") == .conflict("theme", "housing is already in the vocabulary"))
        #expect(
            world.refusal("THEME ADD transit", as: .coordinator("cbo-one"))
                == .noPermission("role", "only admins extend the theme vocabulary")
        )
    }

    @Test(arguments: [
        ("Call Triage", "call-triage"), ("call_triage", "call-triage"), ("  Trust ", "trust"),
        ("911 & 311 calls", "911-311-calls"),
    ])
    func namesBecomeSlugs(name: String, slug: String) throws {
        #expect(try ThemeVocabulary.slug(name) == slug)
    }
}
