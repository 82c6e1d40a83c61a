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
            world.refusal {
                try CaseCommand.open(
                    id: $0.newID,
                    title: "t",
                    leadOrg: "cpd",
                    themes: ["Language Access"],
                    actor: $0.actor
                )
            } == .invalid("themes", "'language-access' is not in the theme vocabulary; see THEME LIST")
        )
        #expect(try world.run { try ThemeCommand.add(name: "Language Access", actor: $0.actor) } == "language-access")
        #expect(
            world.streams["theme-vocabulary"] == [
                EventPayload(type: "ThemeAdded", data: #"{"schema":1,"theme":"language-access"}"#)
            ]
        )
        try world.run {
            try CaseCommand.open(
                id: $0.newID,
                title: "t",
                leadOrg: "cpd",
                themes: ["language access", "youth"],
                actor: $0.actor
            )
        }
        let vocabulary = ThemeVocabulary(history: world.streams["theme-vocabulary"] ?? [])
        #expect(vocabulary.themes.contains("language-access"))
        #expect(vocabulary.themes == vocabulary.themes.sorted())
    }

    @Test func addingAKnownThemeConflictsAndOnlyAdminsAdd() throws {
        var world = try World.standard()
        #expect(
            world.refusal { try ThemeCommand.add(name: "Youth", actor: $0.actor) }
                == .conflict("theme", "youth is already in the vocabulary")
        )
        try world.run { try ThemeCommand.add(name: "housing", actor: $0.actor) }
        #expect(
            world.refusal { try ThemeCommand.add(name: "HOUSING", actor: $0.actor) }
                == .conflict("theme", "housing is already in the vocabulary")
        )
        #expect(
            world.refusal(as: .coordinator("cbo-one")) { try ThemeCommand.add(name: "transit", actor: $0.actor) }
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
