public import Domain

/// One command of the demo: the simulated day it belongs to and its words, as a client sends them.
public struct DemoStep: Sendable, Hashable {
    public let day: ISODate
    public let arguments: [String]
}

/// One organization's share of the demo: a seeded generator and the state of that organization's
/// cases, activities, commitments and follow-ups, so every command it yields is valid.
///
/// A lane touches only its own organization's entities, so lanes run concurrently and still
/// produce the same events per stream. Simulated time advances with the lane's event count,
/// from `DemoScenario.firstDay` to the scenario's last day.
public struct DemoLane: Sendable {
    /// The lane's place in `DemoOrganization.all`, which also seeds its generator.
    public let index: Int
    public let organization: DemoOrganization
    /// The events this lane appends in all.
    public let quota: Int
    /// Commands (one event each) yielded so far.
    public private(set) var produced = 0

    var random: DemoRandom
    private let firstDay: ISODate
    private let span: Int
    var agenda = DemoAgenda()
    var cases: [CaseRecord] = []
    var activities: [ActivityRecord] = []
    var commitments: [CommitmentRecord] = []
    var followUps: [FollowUpRecord] = []
    /// Handles of open cases, oldest first.
    var openCases: [Int] = []
    var recentActivities: [Int] = []
    var recentCommitments: [Int] = []

    struct CaseRecord {
        let id: String
        let place: DemoOrganization.Place
        let theme: String
        var isOpen = true
        /// The version the stream's next event gets: commands say `EXPECT` it.
        var version = 0
    }

    struct ActivityRecord {
        let id: String
        let kind: ActivityKind
        let place: DemoOrganization.Place?
        var attendance: Int
        var isRetracted = false
        var version = 0
    }

    struct CommitmentRecord {
        let id: String
        var dueOn: Int
        var status: CommitmentState.Status = .open
        var version = 0
    }

    struct FollowUpRecord {
        let id: String
        var status: FollowUpState.Status = .scheduled
        var version = 0
    }

    init(index: Int, organization: DemoOrganization, seed: UInt64, quota: Int, firstDay: ISODate, lastDay: ISODate) {
        self.index = index
        self.organization = organization
        self.quota = quota
        self.random = DemoRandom(seed: seed, lane: index)
        self.firstDay = firstDay
        self.span = max(0, lastDay.dayNumber - firstDay.dayNumber)
    }

    /// Who runs this lane's commands: the organization's coordinator.
    public var principal: Principal {
        Principal(user: organization.coordinator, role: .coordinator, organization: organization.slug)
    }

    /// Whether the lane has yielded its quota.
    public var isFinished: Bool { produced >= quota }

    /// The simulated day of the next command, as days after the first day.
    public var currentDay: Int { quota > 0 ? produced * span / quota : span }

    /// The next command, or nil once the lane has yielded its quota.
    public mutating func next() -> DemoStep? {
        while produced < quota {
            let today = currentDay
            let arguments: [String]?
            if let entry = agenda.first, entry.day <= today {
                _ = agenda.removeFirst()
                arguments = perform(entry.action, on: today)
            } else {
                arguments = create(on: today)
            }
            if let arguments {
                produced += 1
                return DemoStep(day: date(today), arguments: arguments)
            }
        }
        return nil
    }

    // MARK: - New work

    private mutating func create(on today: Int) -> [String] {
        let subjects = subjectWeights().reduce(0, +) > 0
        let weights = [60, 8, openCases.count < 12 ? 9 : 3, subjects ? 10 : 0]
        switch random.weighted(weights) {
        case 0: return logActivity(on: today)
        case 1: return makeCommitment(on: today, from: nil)
        case 2: return openCase(on: today)
        default: return scheduleFollowUp(on: today, about: pickSubject())
        }
    }

    private mutating func logActivity(on today: Int) -> [String] {
        let kind = organization.activityKinds[random.weighted(organization.activityKinds.map(\.1))].0
        var caseHandle: Int?
        if kind != .training, !openCases.isEmpty, random.chance(0.3) {
            caseHandle = random.pick(Array(openCases.suffix(10)))
        }
        let place: DemoOrganization.Place? =
            caseHandle.map { cases[$0].place }
            ?? (kind == .training && random.chance(0.5) ? nil : random.pick(organization.places))
        let attendance =
            switch kind {
            case .survey: random.int(in: 20...150)
            case .canvass: random.int(in: 10...120)
            case .listeningSession: random.int(in: 10...80)
            case .focusGroup: random.int(in: 5...15)
            case .communityMeeting: random.int(in: 15...150)
            case .training, .other: random.int(in: 5...40)
            }
        let languages = random.sample(
            organization.languages,
            count: random.int(in: 1...min(3, organization.languages.count))
        )
        let themes = random.sample(organization.themes, count: random.int(in: 1...3))
        let summary = DemoText.activitySummary(
            kind: kind,
            area: place?.area,
            themes: themes,
            attendance: attendance,
            random: &random
        )
        let id = random.uuid()
        let handle = activities.count
        activities.append(ActivityRecord(id: id, kind: kind, place: place, attendance: attendance))
        Self.remember(handle, in: &recentActivities)

        var arguments = [
            "ACTIVITY", "LOG", "ID", id, "EXPECT", "-1", "KIND", kind.rawValue, "ATTENDANCE", String(attendance),
            "OCCURRED_ON", date(max(0, today - random.int(in: 0...2))).description,
        ]
        if let place {
            arguments += ["COMMUNITY_AREA", String(place.area), "POLICE_DISTRICT", String(place.district)]
        }
        arguments += [
            "LANGUAGES", languages.joined(separator: ","), "THEMES", themes.joined(separator: ","), "SUMMARY", summary,
        ]
        if let caseHandle { arguments += ["CASE_ID", cases[caseHandle].id] }

        let heardResidents = [ActivityKind.listeningSession, .communityMeeting, .focusGroup].contains(kind)
        if heardResidents, place != nil, random.chance(0.25) {
            agenda.plan(.commitFromActivity(handle), on: today + random.int(in: 0...7))
        } else if random.chance(0.04) {
            agenda.plan(.correctActivity(handle), on: today + random.int(in: 1...10))
        } else if random.chance(0.01) {
            agenda.plan(.retractActivity(handle), on: today + random.int(in: 1...5))
            return arguments
        }
        if random.chance(0.08) {
            agenda.plan(.scheduleFollowUp(.activity(handle)), on: today + random.int(in: 1...7))
        }
        return arguments
    }

    private mutating func openCase(on today: Int) -> [String] {
        let place = random.pick(organization.places)
        var areas = [place.area]
        if organization.places.count > 1, random.chance(0.25) {
            areas.append(random.pick(organization.places.filter { $0.area != place.area }).area)
        }
        let themes = random.sample(organization.themes, count: random.int(in: 1...2))
        let title = DemoText.caseTitle(area: place.area, district: place.district, theme: themes[0])
        let summary = "Opened after residents raised \(random.pick(DemoText.concerns))."
        let id = random.uuid()
        let handle = cases.count
        cases.append(CaseRecord(id: id, place: place, theme: themes[0]))
        openCases.append(handle)

        var day = today
        for _ in 0..<random.int(in: 1...4) {
            day += random.int(in: 5...40)
            agenda.plan(.noteCase(handle), on: day)
        }
        if random.chance(0.55) {
            day += random.int(in: 10...90)
            agenda.plan(.closeCase(handle), on: day)
            if random.chance(0.12) {
                day += random.int(in: 14...60)
                agenda.plan(.reopenCase(handle), on: day)
                day += random.int(in: 5...20)
                agenda.plan(.noteCase(handle), on: day)
                if random.chance(0.5) { agenda.plan(.closeCase(handle), on: day + random.int(in: 30...90)) }
            }
        }
        if random.chance(0.3) {
            agenda.plan(.scheduleFollowUp(.case(handle)), on: today + random.int(in: 3...14))
        }
        return [
            "CASE", "OPEN", "ID", id, "EXPECT", "-1", "TITLE", title, "COMMUNITY_AREAS",
            areas.map(String.init).joined(separator: ","),
            "THEMES", themes.joined(separator: ","), "SUMMARY", summary, "OPENED_ON", date(today).description,
        ]
    }

    mutating func makeCommitment(on today: Int, from activityHandle: Int?) -> [String] {
        var caseHandle: Int?
        if activityHandle == nil, !openCases.isEmpty, random.chance(0.4) {
            caseHandle = random.pick(Array(openCases.suffix(10)))
        }
        let activity = activityHandle.map { activities[$0] }
        let place =
            activity?.place ?? caseHandle.map { cases[$0].place } ?? random.pick(organization.places)
        let theme = caseHandle.map { cases[$0].theme } ?? random.pick(organization.themes)
        let due = today + random.int(in: 30...180)
        let text = DemoText.commitmentText(area: place.area, district: place.district, theme: theme, random: &random)
        let madeTo = DemoText.madeTo(area: place.area, kind: activity?.kind, random: &random)
        let source: String? =
            if let activity {
                "activity-\(activity.id)"
            } else if organization.kind == .police, random.chance(0.5) {
                DemoText.consentDecreeReference(random: &random)
            } else {
                nil
            }
        let id = random.uuid()
        let handle = commitments.count
        commitments.append(CommitmentRecord(id: id, dueOn: due))
        Self.remember(handle, in: &recentCommitments)
        planCommitment(handle, madeOn: today, dueOn: due)
        if random.chance(0.25) {
            agenda.plan(.scheduleFollowUp(.commitment(handle)), on: today + random.int(in: 7...30))
        }

        var arguments = [
            "COMMITMENT", "MAKE", "ID", id, "EXPECT", "-1", "TEXT", text, "MADE_TO", madeTo, "MADE_ON",
            date(today).description,
            "DUE_ON", date(due).description,
        ]
        if let caseHandle { arguments += ["CASE_ID", cases[caseHandle].id] }
        if let source { arguments += ["SOURCE", source] }
        return arguments
    }

    /// How likely a new follow-up is about an open case, a recent commitment or a recent activity.
    private func subjectWeights() -> [Int] {
        [openCases.isEmpty ? 0 : 40, recentCommitments.isEmpty ? 0 : 35, recentActivities.isEmpty ? 0 : 25]
    }

    private mutating func pickSubject() -> DemoAgenda.Subject {
        switch random.weighted(subjectWeights()) {
        case 0: return .case(random.pick(Array(openCases.suffix(10))))
        case 1: return .commitment(random.pick(recentCommitments))
        default: return .activity(random.pick(recentActivities))
        }
    }

    mutating func scheduleFollowUp(on today: Int, about subject: DemoAgenda.Subject) -> [String] {
        let about =
            switch subject {
            case .case(let handle): "case-\(cases[handle].id)"
            case .commitment(let handle): "commitment-\(commitments[handle].id)"
            case .activity(let handle): "activity-\(activities[handle].id)"
            }
        let due = today + random.int(in: 7...45)
        let note = random.pick(DemoText.followUpNotes)
        let id = random.uuid()
        let handle = followUps.count
        followUps.append(FollowUpRecord(id: id))

        let fate = random.int(in: 0...99)
        switch fate {
        case 0..<50:
            agenda.plan(.complete(handle), on: today + random.int(in: 3...(due - today + 20)))
        case 50..<62:
            let blocked = today + random.int(in: 2...10)
            agenda.plan(.block(handle), on: blocked)
            agenda.plan(.complete(handle), on: blocked + random.int(in: 20...60))
        case 62..<72:
            agenda.plan(.block(handle), on: today + random.int(in: 2...10))
        case 72..<85:
            agenda.plan(.cancelFollowUp(handle), on: today + random.int(in: 5...30))
        default:
            break
        }
        return [
            "FOLLOWUP", "SCHEDULE", "ID", id, "EXPECT", "-1", "ABOUT", about, "DUE_ON", date(due).description, "NOTE",
            note, "SCHEDULED_ON", date(today).description,
        ]
    }

    // MARK: - Helpers

    func date(_ day: Int) -> ISODate { firstDay.adding(days: day) }

    /// Keeps the last 20 handles of a kind as candidates for links and follow-ups.
    static func remember(_ handle: Int, in recent: inout [Int]) {
        recent.append(handle)
        if recent.count > 20 { recent.removeFirst() }
    }
}
