import Domain

/// Sentence templates for the demo's free text: summaries, titles, notes, reasons. They name
/// places, themes and groups, never people.
enum DemoText {
    static let themePhrases: [String: String] = [
        "community-engaged-policing": "community-engaged policing",
        "alternate-response": "alternate response to calls for service",
        "call-triage": "how 911 calls are triaged",
        "reducing-silos": "reducing silos between city departments",
        "response-team-design": "the design of response teams",
        "trust": "trust between residents and police",
        "youth": "youth engagement",
        "behavioral-health": "behavioral-health crisis response",
        "co-responders": "co-responder teams",
        "community-responders": "community responders",
        "workforce-allocation": "the workforce allocation study",
        "consent-decree": "consent decree requirements",
        "accountability": "accountability to residents",
        "language-access": "language access",
        "victim-services": "services for victims of crime",
    ]

    static func phrase(_ theme: String) -> String { themePhrases[theme] ?? theme.replacing("-", with: " ") }

    static func areaName(_ number: Int) -> String {
        CommunityArea.lookup(String(number))?.name ?? "area \(number)"
    }

    static func districtName(_ number: Int) -> String {
        PoliceDistrict.lookup(String(number)).map { "\($0.name) (District \($0.number))" } ?? "District \(number)"
    }

    static let concerns = [
        "response times to behavioral-health calls", "who answers calls about people experiencing homelessness",
        "summer programming for young people", "how officers and residents can meet outside of emergencies",
        "interpretation at district meetings", "follow-through on requests from earlier meetings",
        "traffic stops on main streets", "co-responder coverage at night and on weekends",
        "what happens after a 911 call is made", "street outreach staffing", "public data on calls for service",
        "safety near schools at dismissal time", "well-being checks for seniors living alone",
        "lighting and vacant lots", "how complaints are handled",
    ]

    static let groups = [
        "young adults", "seniors", "parents", "small-business owners", "faith leaders", "violence-prevention workers",
        "block club leaders", "high school students", "public housing residents", "mental-health peer workers",
    ]

    static func activitySummary(
        kind: ActivityKind,
        area: Int?,
        themes: [String],
        attendance: Int,
        random: inout DemoRandom
    ) -> String {
        let place = area.map { " in \(areaName($0))" } ?? " (citywide)"
        let topic = list(themes.map(phrase))
        switch kind {
        case .listeningSession:
            return "Listening session\(place) on \(topic); residents raised \(random.pick(concerns))."
        case .survey:
            return "Survey\(place) about \(topic); \(attendance) responses collected on paper and online."
        case .focusGroup:
            return "Focus group with \(random.pick(groups))\(place) on \(topic)."
        case .communityMeeting:
            return
                "Community meeting\(place) with district staff on \(topic); residents asked about \(random.pick(concerns))."
        case .canvass:
            return "Canvass\(place) inviting residents to upcoming sessions on \(topic)."
        case .training:
            return "Training for facilitators and volunteers\(place) on \(topic)."
        case .other:
            return "Engagement activity\(place) on \(topic)."
        }
    }

    static func caseTitle(area: Int, district: Int, theme: String) -> String {
        let (name, district) = (areaName(area), districtName(district))
        return switch theme {
        case "alternate-response": "Alternate response to behavioral-health calls in \(name)"
        case "behavioral-health": "Behavioral-health crisis response in \(name)"
        case "call-triage": "Triage of non-emergency 911 calls from \(name)"
        case "co-responders": "Co-responder coverage in \(district)"
        case "community-responders": "Community responders for well-being checks in \(name)"
        case "community-engaged-policing": "Community-engaged policing in \(district)"
        case "trust": "Trust between \(district) officers and residents"
        case "youth": "Youth engagement at park district sites in \(name)"
        case "language-access": "Language access at district council meetings in \(district)"
        case "victim-services": "Services for victims of crime in \(name)"
        case "accountability": "Follow-through on requests from \(name) listening sessions"
        case "reducing-silos": "Coordination between city departments serving \(name)"
        case "response-team-design": "Response-team design for calls from \(name)"
        case "workforce-allocation": "Residents' input to the workforce allocation study from \(name)"
        case "consent-decree": "Consent decree community engagement in \(district)"
        default: "\(phrase(theme).prefix(1).uppercased() + phrase(theme).dropFirst()) in \(name)"
        }
    }

    static let caseNotes = [
        "Met with the district's community policing office to discuss next steps.",
        "Residents asked for a written update before the next meeting.",
        "Shared draft recommendations with the Mayor's Office and the facilitator.",
        "CPD provided call-for-service counts for the area.",
        "Partner organizations agreed to co-host the next session.",
        "Discussed the case at the monthly coordination meeting.",
        "Collected additional input through a short survey.",
        "Waiting on a response from the city department involved.",
        "Residents reported improvements since the last meeting.",
        "Summarized findings for the workforce allocation study.",
    ]

    static let caseResolutions = [
        "Recommendations delivered to the Mayor's Office and CPD.",
        "Folded into the citywide alternate-response plan.",
        "Residents' requests met; see the related commitments.",
        "No further action: the pilot now covers the area.",
        "Handed to the district council as a standing agenda item.",
    ]

    static let caseReopenReasons = [
        "New concerns raised at a later listening session.",
        "Residents reported the problem came back.",
        "The pilot covering the area ended.",
    ]

    static func commitmentText(area: Int, district: Int, theme: String, random: inout DemoRandom) -> String {
        let (name, district) = (areaName(area), districtName(district))
        if random.chance(0.5) {
            return random.pick([
                "Publish a summary of what residents of \(name) said, in the languages spoken at the session.",
                "Hold a follow-up meeting in \(name) with district leadership.",
                "Report back to residents of \(name) on \(phrase(theme)).",
            ])
        }
        return switch theme {
        case "alternate-response", "call-triage", "behavioral-health", "community-responders":
            "Share call-for-service data for \(district) with residents, by type of call."
        case "co-responders": "Pilot a co-responder shift in \(district)."
        case "language-access": "Add interpretation at district council meetings in \(district)."
        case "workforce-allocation":
            "Post the timeline of the workforce allocation study and how residents' input is used."
        case "youth": "Set up a youth advisory group in \(name)."
        case "consent-decree": "Report to residents of \(name) on the consent decree requirements they asked about."
        case "trust", "community-engaged-policing":
            "Hold quarterly meetings between \(district) officers and residents."
        default: "Bring residents' recommendations on \(phrase(theme)) to the Mayor's Office."
        }
    }

    /// `a`, `a and b`, `a, b and c`.
    static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
    }

    static func madeTo(area: Int, kind: ActivityKind?, random: inout DemoRandom) -> String {
        let name = areaName(area)
        switch kind {
        case .listeningSession?: return "residents at the \(name) listening session"
        case .communityMeeting?: return "residents at the \(name) community meeting"
        case .focusGroup?: return "\(random.pick(groups)) at the \(name) focus group"
        case .survey?: return "survey respondents in \(name)"
        default: return random.pick(["residents of \(name)", "\(name) block club members", "the district council"])
        }
    }

    static func consentDecreeReference(random: inout DemoRandom) -> String {
        "consent decree ¶ \(random.int(in: 10...799))"
    }

    static let progressNotes = [
        "Draft shared with partners for review.", "Staff assigned and a work plan agreed.",
        "Waiting on data from CPD.", "Vendor contract signed.", "Delayed by the budget review.",
        "First session held; more planned.", "Materials translated.", "Half of the planned meetings held.",
        "Setback: the venue fell through.", "Reviewed with residents at the last meeting.",
    ]

    static let redateReasons = [
        "Procurement of the interpretation vendor took longer than planned.",
        "The data request is still in review at CPD.",
        "Rescheduled around the city budget hearings.",
        "The venue is no longer available on the original date.",
        "Residents asked for more time to give input.",
    ]

    static let evidence = [
        "Summary posted online and handed out at the next meeting.",
        "Meeting held with district leadership; notes shared with attendees.",
        "Data shared at the district council meeting.",
        "Pilot schedule published.",
        "Interpretation provided at the last two meetings.",
        "Recommendations delivered; receipt confirmed by the Mayor's Office.",
    ]

    static let cancelReasons = [
        "Superseded by the citywide alternate-response pilot.",
        "Residents asked to fold this into the district council agenda.",
        "Funding for the program was not renewed.",
        "Duplicate of a commitment made by a partner organization.",
    ]

    static let commitmentReopenReasons = [
        "Residents reported the change did not last.",
        "The evidence given was incomplete.",
    ]

    static let followUpNotes = [
        "Call back residents who asked about the pilot.",
        "Confirm the room and interpretation for the next session.",
        "Send the survey results to the facilitator.",
        "Check progress with the district's community policing office.",
        "Share the session summary with attendees.",
        "Ask the Mayor's Office for a date for the report-back.",
    ]

    static let blockReasons = [
        "Waiting on procurement.", "Waiting on a CPD data request.", "Waiting on a room booking at the park district.",
        "Waiting on translation of materials.", "Waiting on sign-off from the Mayor's Office.",
    ]

    static let outcomes = [
        "Residents informed by email and at the next meeting.", "Room and interpretation confirmed.",
        "Results sent and acknowledged.", "Update received and shared with residents.",
        "Summary shared with attendees.",
    ]

    static let followUpCancelReasons = [
        "No longer needed: covered at the district council meeting.", "Duplicate of another follow-up.",
        "The subject was closed before it came due.",
    ]

    static let correctionReasons = ["Sign-in sheets recounted.", "The co-host's count added."]

    static let retractionReasons = ["Logged twice by mistake.", "The session was postponed and did not take place."]
}
