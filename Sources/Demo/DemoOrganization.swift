public import Domain

/// One of the demo's twelve organizations (placeholder names) and how it works: where, in which
/// languages, which kinds of activity and which themes.
public struct DemoOrganization: Sendable {
    /// A community area with the police district that serves (most of) it.
    public struct Place: Sendable, Hashable {
        public let area: Int
        public let district: Int
    }

    public let slug: String
    /// A placeholder name, marked as such.
    public let name: String
    public let kind: OrganizationKind
    /// The community areas it works in.
    public let places: [Place]
    public let languages: [String]
    /// Relative weights of the activity kinds it runs.
    public let activityKinds: [(ActivityKind, Int)]
    /// The themes its work is about.
    public let themes: [String]

    /// The coordinator who does the organization's work in the demo.
    public var coordinator: String { "demo-\(slug)" }

    /// The Mayor's Office, CPD, the facilitator, the civic consulting partner and eight CBOs, one lane each.
    public static let all: [DemoOrganization] = [mayorsOffice, police, facilitator, partner] + communityOrganizations

    static let communityKinds: [(ActivityKind, Int)] = [
        (.listeningSession, 30), (.survey, 15), (.focusGroup, 15), (.communityMeeting, 20), (.canvass, 15),
        (.training, 5),
    ]
    static let communityThemes = [
        "alternate-response", "behavioral-health", "community-engaged-policing", "community-responders",
        "co-responders", "trust", "youth", "call-triage", "language-access", "victim-services", "accountability",
    ]

    /// Home areas with their districts, and languages, of the eight CBOs.
    static let communityHomes: [([(Int, Int)], [String])] = [
        ([(25, 15), (26, 11), (27, 11)], ["English", "Spanish"]),
        ([(68, 7), (67, 7), (66, 8)], ["English"]),
        ([(30, 10), (29, 10), (31, 12)], ["Spanish", "English"]),
        ([(1, 24), (2, 24), (77, 20)], ["English", "Spanish", "Arabic", "Urdu"]),
        ([(23, 25), (22, 14), (19, 25)], ["Spanish", "English", "Polish"]),
        ([(71, 6), (44, 6), (69, 3)], ["English"]),
        ([(43, 4), (46, 4), (42, 3)], ["English", "Spanish"]),
        ([(58, 9), (61, 9), (34, 9)], ["Spanish", "English", "Chinese"]),
    ]

    static let communityOrganizations: [DemoOrganization] = communityHomes.enumerated().map { index, home in
        DemoOrganization(
            slug: "cbo-\(index + 1)",
            name: "Community Organization \(index + 1) (placeholder)",
            kind: .cbo,
            places: home.0.map { Place(area: $0.0, district: $0.1) },
            languages: home.1,
            activityKinds: communityKinds,
            themes: communityThemes
        )
    }

    /// Every CBO home, plus a few downtown and far-side areas the citywide organizations also visit.
    static let citywide: [Place] =
        communityHomes.flatMap { $0.0.map { Place(area: $0.0, district: $0.1) } }
        + [(32, 1), (28, 12), (8, 18), (49, 5), (15, 16)].map { Place(area: $0.0, district: $0.1) }
    static let citywideLanguages = ["English", "Spanish", "Polish", "Arabic", "Chinese"]

    static let mayorsOffice = DemoOrganization(
        slug: "mayors-office",
        name: "Mayor's Office (placeholder)",
        kind: .mayorsOffice,
        places: citywide,
        languages: citywideLanguages,
        activityKinds: [
            (.communityMeeting, 40), (.listeningSession, 30), (.focusGroup, 10), (.training, 10), (.survey, 10),
        ],
        themes: [
            "alternate-response", "reducing-silos", "call-triage", "community-responders", "behavioral-health",
            "accountability", "workforce-allocation", "trust",
        ]
    )

    static let police = DemoOrganization(
        slug: "cpd",
        name: "Chicago Police Department (placeholder)",
        kind: .police,
        places: citywide,
        languages: citywideLanguages,
        activityKinds: [(.communityMeeting, 45), (.training, 30), (.listeningSession, 15), (.canvass, 10)],
        themes: [
            "community-engaged-policing", "consent-decree", "trust", "accountability", "co-responders", "call-triage",
            "youth",
        ]
    )

    static let facilitator = DemoOrganization(
        slug: "facilitator",
        name: "Facilitator Organization (placeholder)",
        kind: .facilitator,
        places: citywide,
        languages: citywideLanguages,
        activityKinds: [(.training, 40), (.communityMeeting, 30), (.focusGroup, 20), (.listeningSession, 10)],
        themes: ["reducing-silos", "response-team-design", "trust", "community-engaged-policing", "language-access"]
    )

    static let partner = DemoOrganization(
        slug: "civic-partner",
        name: "Civic Consulting Partner (placeholder)",
        kind: .partner,
        places: citywide,
        languages: citywideLanguages,
        activityKinds: [(.survey, 45), (.focusGroup, 40), (.training, 15)],
        themes: [
            "workforce-allocation", "response-team-design", "call-triage", "alternate-response", "reducing-silos",
            "behavioral-health",
        ]
    )
}
