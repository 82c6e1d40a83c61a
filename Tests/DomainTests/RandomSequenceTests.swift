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
        let create: @Sendable (_ random: inout SplitMix64, _ id: String, _ world: World) -> (String, Principal)
        /// The command line and actor for step `step` against entity `id`.
        let command: @Sendable (_ random: inout SplitMix64, _ id: String, _ world: World) -> (String, Principal)
        /// Problems with an accepted event sequence of one stream (empty when it is sound).
        let problems: @Sendable (_ events: [DomainEvent], _ world: World) -> [String]

        var testDescription: String { kind }
    }

    static let sequencesPerAggregate = 500
    static let maxSteps = 14
    static let cora = Principal.coordinator("cbo-one")

    @Test(arguments: [commitment, followUp, caseThread, activity, organization])
    func acceptedSequencesStaySound(aggregate: Aggregate) throws {
        var base = try World.standard()
        let caseID = try base.run("CASE OPEN TITLE 'reference case'", as: Self.cora)
        let activityID = try base.run("ACTIVITY LOG KIND survey ATTENDANCE 9", as: Self.cora)
        base.streams["fixture"] = [EventPayload(type: "ids", data: caseID + " " + activityID)]
        var random = SplitMix64(seed: 0xCA5E_1060 &+ UInt64(aggregate.kind.utf8.count))
        var accepted = 0
        var refused = 0
        for sequence in 0..<Self.sequencesPerAggregate {
            var world = base
            let id = aggregate.kind == "org" ? "new-org" : world.nextID()
            for step in 0..<random.within(1...Self.maxSteps) {
                if random.oneIn(8) { world.today = world.today.adding(days: random.within(1...20)) }
                let (line, actor) =
                    step == 0 && !random.oneIn(8)
                    ? aggregate.create(&random, id, world) : aggregate.command(&random, id, world)
                let before = world.streams
                do {
                    let (_, events) = try world.run(World.words(line), as: actor)
                    accepted += 1
                    // A retried creation may append nothing; anything else appends exactly one event.
                    if events.count != 1 && !(events.isEmpty && line.contains(" ID ")) {
                        Issue.record("\(line) appended \(events.count) events")
                    }
                } catch {
                    refused += 1
                    if world.streams != before { Issue.record("refused \(line) appended") }
                    // The same command on the same state is refused the same way.
                    var again = world
                    do {
                        _ = try again.run(World.words(line), as: actor)
                        Issue.record("\(line) was refused, then accepted")
                    } catch let second where second != error {
                        Issue.record("\(line) was refused with \(error), then with \(second)")
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

    static func date(_ random: inout SplitMix64, around today: ISODate) -> String {
        today.adding(days: random.within(-40...40)).description
    }

    /// Mostly valid text; now and then empty or longer than a reason may be.
    static func text(_ random: inout SplitMix64) -> String {
        if random.oneIn(12) { return "''" }
        if random.oneIn(40) { return String(repeating: "z", count: 4001) }
        return random.pick(["'a note'", "'met residents'", "x", "'lights fixed on 5th'"])
    }

    // MARK: - Aggregates

    static let commitment = Aggregate(
        kind: "commitment",
        create: { random, id, world in
            (
                "COMMITMENT MAKE ID \(id) TEXT t MADE_TO r DUE_ON \(world.today.adding(days: random.within(0...30)))",
                cora
            )
        },
        command: { random, id, world in
            let verb = random.pick(["MAKE", "MAKE", "PROGRESS", "PROGRESS", "REDATE", "FULFIL", "CANCEL", "REOPEN"])
            let today = world.today
            switch verb {
            case "MAKE":
                let owner = random.pick(["", "OWNER_ORG cbo-one ", "OWNER_ORG cbo-old ", "OWNER_ORG cpd "])
                let made = random.oneIn(2) ? "MADE_ON \(date(&random, around: today)) " : ""
                return (
                    "COMMITMENT MAKE ID \(id) \(owner)TEXT \(text(&random)) MADE_TO residents \(made)"
                        + "DUE_ON \(date(&random, around: today))",
                    actor(&random)
                )
            case "PROGRESS":
                let level = random.pick(["not-started", "limited", "substantial", "complete", "done"])
                return ("COMMITMENT PROGRESS \(id) LEVEL \(level) NOTE \(text(&random))", actor(&random))
            case "REDATE":
                let reason = random.oneIn(5) ? "" : " REASON \(text(&random))"
                return ("COMMITMENT REDATE \(id) DUE_ON \(date(&random, around: today))\(reason)", actor(&random))
            case "FULFIL":
                let on = random.oneIn(2) ? " FULFILLED_ON \(date(&random, around: today))" : ""
                return ("COMMITMENT FULFIL \(id) EVIDENCE \(text(&random))\(on)", actor(&random))
            case "CANCEL": return ("COMMITMENT CANCEL \(id) REASON \(text(&random))", actor(&random))
            default: return ("COMMITMENT REOPEN \(id)", actor(&random))
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
            (
                "FOLLOWUP SCHEDULE ID \(id) ABOUT case-\(fixture(world).caseID) DUE_ON \(date(&random, around: world.today))",
                cora
            )
        },
        command: { random, id, world in
            let (caseID, activityID) = fixture(world)
            switch random.pick(["SCHEDULE", "SCHEDULE", "BLOCK", "BLOCK", "COMPLETE", "CANCEL"]) {
            case "SCHEDULE":
                let about = random.pick(["case-\(caseID)", "activity-\(activityID)", "commitment-\(caseID)"])
                let assignee = random.pick(["", "ASSIGNEE_ORG cbo-two ", "ASSIGNEE_ORG cbo-old "])
                return (
                    "FOLLOWUP SCHEDULE ID \(id) ABOUT \(about) \(assignee)DUE_ON \(date(&random, around: world.today))",
                    actor(&random)
                )
            case "BLOCK":
                return ("FOLLOWUP BLOCK \(id) REASON \(random.pick(["procurement", "legal", "''"]))", actor(&random))
            case "COMPLETE":
                let on = random.oneIn(3) ? " COMPLETED_ON \(date(&random, around: world.today))" : ""
                return ("FOLLOWUP COMPLETE \(id) OUTCOME \(text(&random))\(on)", actor(&random))
            default: return ("FOLLOWUP CANCEL \(id)", actor(&random))
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
        create: { _, id, _ in ("CASE OPEN ID \(id) TITLE t", cora) },
        command: { random, id, world in
            switch random.pick(["OPEN", "NOTE", "NOTE", "REASSIGN", "CLOSE", "REOPEN"]) {
            case "OPEN":
                let lead = random.pick(["", "LEAD_ORG cbo-one ", "LEAD_ORG cbo-old ", "LEAD_ORG cpd "])
                let themes = random.pick(["", " THEMES trust,youth", " THEMES potholes"])
                return ("CASE OPEN ID \(id) \(lead)TITLE \(text(&random))\(themes)", actor(&random))
            case "NOTE": return ("CASE NOTE \(id) NOTE \(text(&random))", actor(&random))
            case "REASSIGN":
                return (
                    "CASE REASSIGN \(id) LEAD_ORG \(random.pick(["cbo-one", "cbo-two", "cbo-old", "cpd"]))",
                    actor(&random)
                )
            case "CLOSE": return ("CASE CLOSE \(id) RESOLUTION \(text(&random))", actor(&random))
            default: return ("CASE REOPEN \(id)", actor(&random))
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
        create: { random, id, _ in ("ACTIVITY LOG ID \(id) KIND survey ATTENDANCE \(random.within(0...99))", cora) },
        command: { random, id, world in
            let (caseID, _) = fixture(world)
            switch random.pick(["LOG", "LOG", "CORRECT", "CORRECT", "CORRECT", "RETRACT"]) {
            case "LOG":
                let org = random.pick(["", "ORG cbo-two ", "ORG cbo-old "])
                let area = random.pick(["", " AREA ohare", " AREA 99"])
                let on = random.oneIn(2) ? " OCCURRED_ON \(date(&random, around: world.today))" : ""
                let attendance = random.pick(["0", "12", "100000", "100001"])
                return ("ACTIVITY LOG ID \(id) \(org)KIND survey ATTENDANCE \(attendance)\(area)\(on)", actor(&random))
            case "CORRECT":
                let change = random.pick([
                    "ATTENDANCE \(random.within(0...30))", "KIND canvass", "KIND survey",
                    "AREA \(random.within(1...3))",
                    "OCCURRED_ON \(date(&random, around: world.today))", "THEMES youth", "CASE \(caseID)",
                    "LANGUAGES es,en",
                ])
                return ("ACTIVITY CORRECT \(id) \(change) REASON \(text(&random))", actor(&random))
            default: return ("ACTIVITY RETRACT \(id) REASON \(text(&random))", actor(&random))
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
        create: { _, id, _ in ("ORG REGISTER \(id) NAME One KIND cbo", .admin) },
        command: { random, id, _ in
            let slug = id
            switch random.pick(["REGISTER", "RENAME", "RENAME", "RETIRE"]) {
            case "REGISTER":
                return (
                    "ORG REGISTER \(slug) NAME \(random.pick(["One", "Two"])) KIND cbo", random.oneIn(5) ? cora : .admin
                )
            case "RENAME": return ("ORG RENAME \(slug) NAME \(random.pick(["One", "Two", "Three"]))", .admin)
            default: return ("ORG RETIRE \(slug)", .admin)
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
