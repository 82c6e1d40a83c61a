import Domain
import TestSupport
import Testing

/// Random command sequences per aggregate, from fixed seeds: accepted sequences never reach a forbidden
/// state, replay is deterministic, stored events round-trip, and refused commands append nothing.
@Suite struct RandomSequenceTests {
    /// One aggregate's generator and invariants.
    struct Aggregate: Sendable, CustomTestStringConvertible {
        /// The stream kind: `commitment`, `followup`, `case`, `activity`, `org`.
        let kind: String
        /// A valid creating command for entity `id`, which most sequences start with.
        let create: @Sendable (_ random: inout SplitMix64, _ id: String, _ world: World) -> Step
        /// A random command against entity `id`.
        let command: @Sendable (_ random: inout SplitMix64, _ id: String, _ world: World) -> Step
        /// Problems with an accepted event sequence of one stream (empty when it is sound).
        let problems: @Sendable (_ events: [DomainEvent], _ world: World) -> [String]

        var testDescription: String { kind }
    }

    /// One command of a sequence: what it is (for messages), who runs it, and how it is built.
    struct Step {
        let name: String
        let actor: Principal
        /// Whether it creates the entity, which a retry with the same id may do without appending.
        let creates: Bool
        let build: World.Build

        init(_ name: String, _ actor: Principal, creates: Bool = false, _ build: @escaping World.Build) {
            self.name = name
            self.actor = actor
            self.creates = creates
            self.build = build
        }
    }

    static let sequencesPerAggregate = 500
    static let maxSteps = 14
    static let cora = Principal.coordinator("cbo-one")

    @Test(arguments: [commitment, followUp, caseThread, activity, organization])
    func acceptedSequencesStaySound(aggregate: Aggregate) throws {
        var base = try World.standard()
        let caseID = try base.run(as: Self.cora) {
            try CaseCommand.open(id: $0.newID, title: "reference case", actor: $0.actor)
        }
        let activityID = try base.run(as: Self.cora) {
            try ActivityCommand.log(id: $0.newID, kind: .survey, attendance: 9, actor: $0.actor)
        }
        base.streams["fixture"] = [EventPayload(type: "ids", data: caseID + " " + activityID)]
        var random = SplitMix64(seed: 0xCA5E_1060 &+ UInt64(aggregate.kind.utf8.count))
        var accepted = 0
        var refused = 0
        for sequence in 0..<Self.sequencesPerAggregate {
            var world = base
            let id = aggregate.kind == "org" ? "new-org" : world.nextID()
            for step in 0..<random.within(1...Self.maxSteps) {
                if random.oneIn(8) { world.today = world.today.adding(days: random.within(1...20)) }
                let command =
                    step == 0 && !random.oneIn(8)
                    ? aggregate.create(&random, id, world) : aggregate.command(&random, id, world)
                let before = world.streams
                do {
                    let (_, events) = try world.apply(as: command.actor, command.build)
                    accepted += 1
                    // A retried creation may append nothing; anything else appends exactly one event.
                    if events.count != 1 && !(events.isEmpty && command.creates) {
                        Issue.record("\(command.name) appended \(events.count) events")
                    }
                } catch {
                    refused += 1
                    if world.streams != before { Issue.record("refused \(command.name) appended") }
                    // The same command on the same state is refused the same way.
                    var again = world
                    do {
                        _ = try again.apply(as: command.actor, command.build)
                        Issue.record("\(command.name) was refused, then accepted")
                    } catch let second where second as? DomainError != error as? DomainError {
                        Issue.record("\(command.name) was refused with \(error), then with \(second)")
                    } catch {}
                }
            }
            let stream = aggregate.kind + "-" + id
            try Self.check(
                aggregate,
                stream: stream,
                id: id,
                history: world.streams[stream] ?? [],
                world: world,
                sequence: sequence
            )
        }
        #expect(accepted > Self.sequencesPerAggregate, "the generator exercises accepted paths")
        #expect(refused > Self.sequencesPerAggregate / 4, "the generator exercises refusals")
    }

    /// Replays the entity's stream and checks the aggregate's invariants.
    static func check(
        _ aggregate: Aggregate,
        stream: String,
        id: String,
        history: [EventPayload],
        world: World,
        sequence: Int
    ) throws {
        guard !history.isEmpty else { return }
        let events = try history.compactMap { payload throws(DomainError) in try DomainEvent(payload) }
        #expect(events.count == history.count)
        #expect(events.map(\.payload) == history, "stored events re-encode to the same bytes")
        for event in events {
            let texts = try ReferenceJSON.texts(of: event)
            #expect(texts.written == texts.reference, "event data is written as JSONEncoder writes it")
        }
        let first = try DomainState.snapshot(kind: aggregate.kind, id: id, history: history)
        let second = try DomainState.snapshot(kind: aggregate.kind, id: id, history: events.map(\.payload))
        #expect(first == second, "replay is deterministic")
        let problems = aggregate.problems(events, world)
        #expect(problems.isEmpty, "sequence \(sequence) \(stream): \(problems) after \(history.map(\.type))")
    }

    static func fixture(_ world: World) -> (caseID: String, activityID: String) {
        let ids = world.streams["fixture"]![0].data.split(separator: " ").map(String.init)
        return (ids[0], ids[1])
    }

    static func actor(_ random: inout SplitMix64) -> Principal {
        switch random.below(10) {
        case 0...3: .admin
        case 4...7: cora
        case 8: .coordinator("cbo-two")
        default: .leadership
        }
    }

    static func date(_ random: inout SplitMix64, around today: ISODate) -> ISODate {
        today.adding(days: random.within(-40...40))
    }

    /// Mostly valid text; now and then empty or longer than a reason may be.
    static func text(_ random: inout SplitMix64) -> String {
        if random.oneIn(12) { return "" }
        if random.oneIn(40) { return String(repeating: "z", count: 4001) }
        return random.pick(["a note", "met residents", "x", "lights fixed on 5th"])
    }

    // MARK: - Aggregates

    static let commitment = Aggregate(
        kind: "commitment",
        create: { random, id, world in
            let due = world.today.adding(days: random.within(0...30))
            return Step("COMMITMENT MAKE", cora, creates: true) {
                try CommitmentCommand.make(id: id, text: "t", madeTo: "r", dueOn: due, actor: $0.actor)
            }
        },
        command: { random, id, world in
            let verb = random.pick(["MAKE", "MAKE", "PROGRESS", "PROGRESS", "REDATE", "FULFIL", "CANCEL", "REOPEN"])
            let today = world.today
            let name = "COMMITMENT \(verb)"
            switch verb {
            case "MAKE":
                let owner = random.pick([nil, "cbo-one", "cbo-old", "cpd"])
                let text = text(&random)
                let made = random.oneIn(2) ? date(&random, around: today) : nil
                let due = date(&random, around: today)
                return Step(name, actor(&random), creates: true) {
                    try CommitmentCommand.make(
                        id: id,
                        ownerOrg: owner,
                        text: text,
                        madeTo: "residents",
                        dueOn: due,
                        madeOn: made,
                        actor: $0.actor
                    )
                }
            case "PROGRESS":
                let level = random.pick(["not-started", "limited", "substantial", "complete", "done"])
                let note = text(&random)
                return Step(name, actor(&random)) {
                    try CommitmentCommand.progress(
                        id: id,
                        level: try CompletionLevel(parsing: level),
                        note: note,
                        actor: $0.actor
                    )
                }
            case "REDATE":
                let reason = random.oneIn(5) ? "" : text(&random)
                let due = date(&random, around: today)
                return Step(name, actor(&random)) {
                    try CommitmentCommand.redate(id: id, dueOn: due, reason: reason, actor: $0.actor)
                }
            case "FULFIL":
                let evidence = text(&random)
                let on = random.oneIn(2) ? date(&random, around: today) : nil
                return Step(name, actor(&random)) {
                    try CommitmentCommand.fulfil(id: id, evidence: evidence, fulfilledOn: on, actor: $0.actor)
                }
            case "CANCEL":
                let reason = text(&random)
                return Step(name, actor(&random)) {
                    try CommitmentCommand.cancel(id: id, reason: reason, actor: $0.actor)
                }
            default: return Step(name, actor(&random)) { try CommitmentCommand.reopen(id: id, actor: $0.actor) }
            }
        },
        problems: { events, _ in
            var problems: [String] = []
            var status: String?
            var madeOn: ISODate?
            for event in events {
                guard case .commitment(let event) = event else { return ["not a commitment event"] }
                switch (status, event) {
                case (nil, .made(let body)):
                    madeOn = body.madeOn
                    if body.dueOn < body.madeOn { problems.append("due before made") }
                    if body.ownerOrg == "cbo-old" { problems.append("retired owner") }
                    status = "open"
                case (nil, _): problems.append("event before CommitmentMade")
                case (_, .made): problems.append("made twice")
                case ("open", .progressed): break
                case ("open", .dueDateChanged(let body)):
                    if body.reason.isEmpty { problems.append("redate without reason") }
                    if let madeOn, body.dueOn < madeOn { problems.append("redated before made_on") }
                case ("open", .fulfilled(let body)):
                    if body.evidence.isEmpty { problems.append("fulfilled without evidence") }
                    status = "fulfilled"
                case ("open", .cancelled(let body)):
                    if body.reason.isEmpty { problems.append("cancelled without reason") }
                    status = "cancelled"
                case ("fulfilled", .reopened), ("cancelled", .reopened): status = "open"
                case (let current?, let event): problems.append("\(event.payload.type) while \(current)")
                }
            }
            return problems
        }
    )

    static let followUp = Aggregate(
        kind: "followup",
        create: { random, id, world in
            let about = "case-\(fixture(world).caseID)"
            let due = date(&random, around: world.today)
            return Step("FOLLOWUP SCHEDULE", cora, creates: true) {
                try FollowUpCommand.schedule(id: id, about: about, dueOn: due, actor: $0.actor)
            }
        },
        command: { random, id, world in
            let (caseID, activityID) = fixture(world)
            let verb = random.pick(["SCHEDULE", "SCHEDULE", "BLOCK", "BLOCK", "COMPLETE", "CANCEL"])
            let name = "FOLLOWUP \(verb)"
            switch verb {
            case "SCHEDULE":
                let about = random.pick(["case-\(caseID)", "activity-\(activityID)", "commitment-\(caseID)"])
                let assignee = random.pick([nil, "cbo-two", "cbo-old"])
                let due = date(&random, around: world.today)
                return Step(name, actor(&random), creates: true) {
                    try FollowUpCommand.schedule(
                        id: id,
                        about: about,
                        assigneeOrg: assignee,
                        dueOn: due,
                        actor: $0.actor
                    )
                }
            case "BLOCK":
                let reason = random.pick(["procurement", "legal", ""])
                return Step(name, actor(&random)) { try FollowUpCommand.block(id: id, reason: reason, actor: $0.actor) }
            case "COMPLETE":
                let outcome = text(&random)
                let on = random.oneIn(3) ? date(&random, around: world.today) : nil
                return Step(name, actor(&random)) {
                    try FollowUpCommand.complete(id: id, outcome: outcome, completedOn: on, actor: $0.actor)
                }
            default: return Step(name, actor(&random)) { try FollowUpCommand.cancel(id: id, actor: $0.actor) }
            }
        },
        problems: { events, world in
            var problems: [String] = []
            var status: String?
            for event in events {
                guard case .followUp(let event) = event else { return ["not a follow-up event"] }
                switch (status, event) {
                case (nil, .scheduled(let body)):
                    if world.streams[body.about] == nil { problems.append("about a missing \(body.about)") }
                    if body.assigneeOrg == "cbo-old" { problems.append("retired assignee") }
                    status = "scheduled"
                case (nil, _): problems.append("event before FollowUpScheduled")
                case (_, .scheduled): problems.append("scheduled twice")
                case ("scheduled", .blocked(let body)), ("blocked", .blocked(let body)):
                    if body.reason.isEmpty { problems.append("blocked without reason") }
                    status = "blocked"
                case ("scheduled", .completed(let body)), ("blocked", .completed(let body)):
                    if body.completedOn > world.today { problems.append("completed in the future") }
                    status = "completed"
                case ("scheduled", .cancelled), ("blocked", .cancelled): status = "cancelled"
                case (let current?, let event): problems.append("\(event.payload.type) while \(current)")
                }
            }
            return problems
        }
    )

    static let caseThread = Aggregate(
        kind: "case",
        create: { _, id, _ in
            Step("CASE OPEN", cora, creates: true) { try CaseCommand.open(id: id, title: "t", actor: $0.actor) }
        },
        command: { random, id, world in
            let verb = random.pick(["OPEN", "NOTE", "NOTE", "REASSIGN", "CLOSE", "REOPEN"])
            let name = "CASE \(verb)"
            switch verb {
            case "OPEN":
                let lead = random.pick([nil, "cbo-one", "cbo-old", "cpd"])
                let title = text(&random)
                let themes = random.pick([[], ["trust", "youth"], ["potholes"]])
                return Step(name, actor(&random), creates: true) {
                    try CaseCommand.open(id: id, title: title, leadOrg: lead, themes: themes, actor: $0.actor)
                }
            case "NOTE":
                let note = text(&random)
                return Step(name, actor(&random)) { try CaseCommand.note(id: id, note: note, actor: $0.actor) }
            case "REASSIGN":
                let lead = random.pick(["cbo-one", "cbo-two", "cbo-old", "cpd"])
                return Step(name, actor(&random)) { try CaseCommand.reassign(id: id, leadOrg: lead, actor: $0.actor) }
            case "CLOSE":
                let resolution = text(&random)
                return Step(name, actor(&random)) {
                    try CaseCommand.close(id: id, resolution: resolution, actor: $0.actor)
                }
            default: return Step(name, actor(&random)) { try CaseCommand.reopen(id: id, actor: $0.actor) }
            }
        },
        problems: { events, _ in
            var problems: [String] = []
            var status: String?
            var lead: String?
            for event in events {
                guard case .case(let event) = event else { return ["not a case event"] }
                switch (status, event) {
                case (nil, .opened(let body)):
                    lead = body.leadOrg
                    status = "open"
                case (nil, _): problems.append("event before CaseOpened")
                case (_, .opened): problems.append("opened twice")
                case ("open", .noteAdded): break
                case ("open", .reassigned(let body)):
                    if body.leadOrg == lead { problems.append("reassigned to the same lead") }
                    lead = body.leadOrg
                case ("open", .closed(let body)):
                    if body.resolution.isEmpty { problems.append("closed without resolution") }
                    status = "closed"
                case ("closed", .reopened): status = "open"
                case (let current?, let event): problems.append("\(event.payload.type) while \(current)")
                }
                if lead == "cbo-old" { problems.append("led by a retired organization") }
            }
            return problems
        }
    )

    static let activity = Aggregate(
        kind: "activity",
        create: { random, id, _ in
            let attendance = random.within(0...99)
            return Step("ACTIVITY LOG", cora, creates: true) {
                try ActivityCommand.log(id: id, kind: .survey, attendance: attendance, actor: $0.actor)
            }
        },
        command: { random, id, world in
            let (caseID, _) = fixture(world)
            let verb = random.pick(["LOG", "LOG", "CORRECT", "CORRECT", "CORRECT", "RETRACT"])
            let name = "ACTIVITY \(verb)"
            switch verb {
            case "LOG":
                let org = random.pick([nil, "cbo-two", "cbo-old"])
                let area = random.pick([nil, "ohare", "99"])
                let on = random.oneIn(2) ? date(&random, around: world.today) : nil
                let attendance = random.pick([0, 12, 100_000, 100_001])
                return Step(name, actor(&random), creates: true) {
                    try ActivityCommand.log(
                        id: id,
                        org: org,
                        kind: .survey,
                        attendance: attendance,
                        occurredOn: on,
                        communityArea: try area.map { name throws(DomainError) in try CommunityArea(parsing: name) },
                        actor: $0.actor
                    )
                }
            case "CORRECT":
                let change = random.within(0...7)
                let attendance = random.within(0...30)
                let area = random.within(1...3)
                let on = date(&random, around: world.today)
                let reason = text(&random)
                return Step(name, actor(&random)) {
                    switch change {
                    case 0: try ActivityCommand.correct(id: id, attendance: attendance, reason: reason, actor: $0.actor)
                    case 1: try ActivityCommand.correct(id: id, kind: .canvass, reason: reason, actor: $0.actor)
                    case 2: try ActivityCommand.correct(id: id, kind: .survey, reason: reason, actor: $0.actor)
                    case 3:
                        try ActivityCommand.correct(
                            id: id,
                            communityArea: try CommunityArea(parsing: String(area)),
                            reason: reason,
                            actor: $0.actor
                        )
                    case 4: try ActivityCommand.correct(id: id, occurredOn: on, reason: reason, actor: $0.actor)
                    case 5: try ActivityCommand.correct(id: id, themes: ["youth"], reason: reason, actor: $0.actor)
                    case 6: try ActivityCommand.correct(id: id, caseID: caseID, reason: reason, actor: $0.actor)
                    default:
                        try ActivityCommand.correct(id: id, languages: ["es", "en"], reason: reason, actor: $0.actor)
                    }
                }
            default:
                let reason = text(&random)
                return Step(name, actor(&random)) {
                    try ActivityCommand.retract(id: id, reason: reason, actor: $0.actor)
                }
            }
        },
        problems: { events, world in
            var problems: [String] = []
            var status: String?
            for event in events {
                guard case .activity(let event) = event else { return ["not an activity event"] }
                switch (status, event) {
                case (nil, .logged(let body)):
                    if body.attendance > FieldRules.attendanceLimit { problems.append("attendance over the bound") }
                    if body.occurredOn > world.today { problems.append("occurred in the future") }
                    if body.org == "cbo-old" { problems.append("logged for a retired organization") }
                    status = "recorded"
                case (nil, _): problems.append("event before ActivityLogged")
                case (_, .logged): problems.append("logged twice")
                case ("recorded", .corrected(let body)):
                    if body.reason.isEmpty { problems.append("correction without reason") }
                    let changed: [Any?] = [
                        body.kind, body.occurredOn, body.communityArea, body.policeDistrict, body.attendance,
                        body.languages,
                        body.themes, body.summary, body.caseID,
                    ]
                    if changed.allSatisfy({ $0 == nil }) { problems.append("empty correction") }
                case ("recorded", .retracted): status = "retracted"
                case (let current?, let event): problems.append("\(event.payload.type) while \(current)")
                }
            }
            return problems
        }
    )

    static let organization = Aggregate(
        kind: "org",
        create: { _, id, _ in
            Step("ORG REGISTER", .admin) {
                try OrganizationCommand.register(slug: id, name: "One", kind: .cbo, actor: $0.actor)
            }
        },
        command: { random, id, _ in
            let slug = id
            let verb = random.pick(["REGISTER", "RENAME", "RENAME", "RETIRE"])
            let name = "ORG \(verb)"
            switch verb {
            case "REGISTER":
                let newName = random.pick(["One", "Two"])
                return Step(name, random.oneIn(5) ? cora : .admin) {
                    try OrganizationCommand.register(slug: slug, name: newName, kind: .cbo, actor: $0.actor)
                }
            case "RENAME":
                let newName = random.pick(["One", "Two", "Three"])
                return Step(name, .admin) { try OrganizationCommand.rename(slug: slug, name: newName, actor: $0.actor) }
            default: return Step(name, .admin) { try OrganizationCommand.retire(slug: slug, actor: $0.actor) }
            }
        },
        problems: { events, _ in
            var problems: [String] = []
            var status: String?
            var name: String?
            for event in events {
                guard case .organization(let event) = event else { return ["not an organization event"] }
                switch (status, event) {
                case (nil, .registered(let body)):
                    name = body.name
                    status = "active"
                case (nil, _): problems.append("event before OrganizationRegistered")
                case (_, .registered): problems.append("registered twice")
                case ("active", .renamed(let body)):
                    if body.name == name { problems.append("renamed to the same name") }
                    name = body.name
                case ("active", .retired): status = "retired"
                case (let current?, let event): problems.append("\(event.payload.type) while \(current)")
                }
            }
            return problems
        }
    )
}
