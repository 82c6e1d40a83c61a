import Domain

/// A lane's plans: how commitments unfold over simulated time, and the commands for planned actions.
extension DemoLane {
    /// Plans a commitment's life: kept on time or late, redated, cancelled, missed, or kept, reopened and kept again.
    mutating func planCommitment(_ handle: Int, madeOn: Int, dueOn: Int) {
        let window = dueOn - madeOn
        let fate = random.int(in: 0...99)
        switch fate {
        case 0..<44:
            let kept = madeOn + random.int(in: (window / 2)...window)
            planProgress(handle, count: random.int(in: 1...2), from: madeOn + 1, to: kept - 1, mayFall: false)
            if random.chance(0.4) { agenda.plan(.progress(handle, level: .complete), on: kept) }
            agenda.plan(.fulfil(handle), on: kept)
        case 44..<60:
            let kept = dueOn + random.int(in: 5...75)
            planProgress(handle, count: random.int(in: 1...3), from: madeOn + 1, to: kept - 1, mayFall: true)
            agenda.plan(.fulfil(handle), on: kept)
        case 60..<70:
            let redated = madeOn + random.int(in: (window * 6 / 10)...(window * 9 / 10))
            let extra = random.int(in: 30...90)
            planProgress(handle, count: random.int(in: 1...2), from: madeOn + 1, to: redated - 1, mayFall: true)
            agenda.plan(.redate(handle, byDays: extra), on: redated)
            let kept = dueOn + extra + random.int(in: -15...20)
            planProgress(handle, count: 1, from: redated + 1, to: kept - 1, mayFall: false)
            agenda.plan(.fulfil(handle), on: max(redated, kept))
        case 70..<80:
            let cancelled = madeOn + random.int(in: 20...120)
            planProgress(handle, count: random.int(in: 0...1), from: madeOn + 1, to: cancelled - 1, mayFall: false)
            agenda.plan(.cancelCommitment(handle), on: cancelled)
        case 80..<96:
            planProgress(handle, count: random.int(in: 1...2), from: madeOn + 1, to: dueOn - 1, mayFall: true)
        default:
            let kept = madeOn + random.int(in: (window / 2)...window)
            planProgress(handle, count: 1, from: madeOn + 1, to: kept - 1, mayFall: false)
            agenda.plan(.fulfil(handle), on: kept)
            let reopened = kept + random.int(in: 10...40)
            agenda.plan(.reopenCommitment(handle), on: reopened)
            agenda.plan(.progress(handle, level: .substantial), on: reopened + random.int(in: 5...15))
            agenda.plan(.fulfil(handle), on: reopened + random.int(in: 20...60))
        }
    }

    /// `count` progress reports between two days; levels mostly rise, and may fall when `mayFall`.
    mutating func planProgress(_ handle: Int, count: Int, from first: Int, to last: Int, mayFall: Bool) {
        var days = (0..<count).map { _ in last > first ? random.int(in: first...last) : first }
        days.sort()
        var level = random.chance(0.5) ? 0 : 1
        for day in days {
            agenda.plan(.progress(handle, level: CompletionLevel.allCases[level]), on: day)
            if mayFall, level > 0, random.chance(0.25) {
                level -= 1
            } else {
                level = min(level + 1, 2)
            }
        }
    }

    /// The command for a planned action, expecting the entity's stream version, or nil when the
    /// entity's state no longer allows it.
    mutating func perform(_ action: DemoAgenda.Action, on today: Int) -> [String]? {
        guard let arguments = command(for: action, on: today) else { return nil }
        let version: Int
        switch action {
        case .noteCase(let handle), .closeCase(let handle), .reopenCase(let handle):
            version = cases[handle].version
            cases[handle].version += 1
        case .correctActivity(let handle), .retractActivity(let handle):
            version = activities[handle].version
            activities[handle].version += 1
        case .progress(let handle, _), .redate(let handle, _), .fulfil(let handle), .cancelCommitment(let handle),
            .reopenCommitment(let handle):
            version = commitments[handle].version
            commitments[handle].version += 1
        case .block(let handle), .complete(let handle), .cancelFollowUp(let handle):
            version = followUps[handle].version
            followUps[handle].version += 1
        case .commitFromActivity, .scheduleFollowUp:
            return arguments
        }
        return arguments + ["EXPECT", String(version)]
    }

    /// The words of a planned action, with the simulated day it happened on (`OPENED_ON`, `REPORTED_ON`, …).
    mutating func command(for action: DemoAgenda.Action, on today: Int) -> [String]? {
        let day = date(today).description
        switch action {
        case .noteCase(let handle):
            guard cases[handle].isOpen else { return nil }
            return ["CASE", "NOTE", cases[handle].id, "NOTE", random.pick(DemoText.caseNotes), "NOTED_ON", day]
        case .closeCase(let handle):
            guard cases[handle].isOpen else { return nil }
            cases[handle].isOpen = false
            openCases.removeAll { $0 == handle }
            return [
                "CASE", "CLOSE", cases[handle].id, "RESOLUTION", random.pick(DemoText.caseResolutions), "CLOSED_ON",
                day,
            ]
        case .reopenCase(let handle):
            guard !cases[handle].isOpen else { return nil }
            cases[handle].isOpen = true
            openCases.append(handle)
            return [
                "CASE", "REOPEN", cases[handle].id, "REASON", random.pick(DemoText.caseReopenReasons), "REOPENED_ON",
                day,
            ]
        case .correctActivity(let handle):
            guard !activities[handle].isRetracted else { return nil }
            activities[handle].attendance += random.int(in: 1...12)
            return [
                "ACTIVITY", "CORRECT", activities[handle].id, "ATTENDANCE", String(activities[handle].attendance),
                "REASON", random.pick(DemoText.correctionReasons),
            ]
        case .retractActivity(let handle):
            guard !activities[handle].isRetracted else { return nil }
            activities[handle].isRetracted = true
            recentActivities.removeAll { $0 == handle }
            return ["ACTIVITY", "RETRACT", activities[handle].id, "REASON", random.pick(DemoText.retractionReasons)]
        case .commitFromActivity(let handle):
            guard !activities[handle].isRetracted else { return nil }
            return makeCommitment(on: today, from: handle)
        case .scheduleFollowUp(let subject):
            if case .activity(let handle) = subject, activities[handle].isRetracted { return nil }
            return scheduleFollowUp(on: today, about: subject)
        case .progress(let handle, let level):
            guard commitments[handle].status == .open else { return nil }
            var arguments = ["COMMITMENT", "PROGRESS", commitments[handle].id, "LEVEL", level.rawValue]
            if random.chance(0.7) { arguments += ["NOTE", random.pick(DemoText.progressNotes)] }
            return arguments + ["REPORTED_ON", day]
        case .redate(let handle, let days):
            guard commitments[handle].status == .open else { return nil }
            commitments[handle].dueOn += days
            return [
                "COMMITMENT", "REDATE", commitments[handle].id, "DUE_ON", date(commitments[handle].dueOn).description,
                "REASON", random.pick(DemoText.redateReasons), "REDATED_ON", day,
            ]
        case .fulfil(let handle):
            guard commitments[handle].status == .open else { return nil }
            commitments[handle].status = .fulfilled
            return [
                "COMMITMENT", "FULFIL", commitments[handle].id, "EVIDENCE", random.pick(DemoText.evidence),
                "FULFILLED_ON", day,
            ]
        case .cancelCommitment(let handle):
            guard commitments[handle].status == .open else { return nil }
            commitments[handle].status = .cancelled
            return [
                "COMMITMENT", "CANCEL", commitments[handle].id, "REASON", random.pick(DemoText.cancelReasons),
                "CANCELLED_ON", day,
            ]
        case .reopenCommitment(let handle):
            guard commitments[handle].status != .open else { return nil }
            commitments[handle].status = .open
            return [
                "COMMITMENT", "REOPEN", commitments[handle].id, "REASON", random.pick(DemoText.commitmentReopenReasons),
                "REOPENED_ON", day,
            ]
        case .block(let handle):
            guard followUps[handle].status == .scheduled else { return nil }
            followUps[handle].status = .blocked
            return [
                "FOLLOWUP", "BLOCK", followUps[handle].id, "REASON", random.pick(DemoText.blockReasons), "BLOCKED_ON",
                day,
            ]
        case .complete(let handle):
            guard [.scheduled, .blocked].contains(followUps[handle].status) else { return nil }
            followUps[handle].status = .completed
            return [
                "FOLLOWUP", "COMPLETE", followUps[handle].id, "OUTCOME", random.pick(DemoText.outcomes),
                "COMPLETED_ON", day,
            ]
        case .cancelFollowUp(let handle):
            guard [.scheduled, .blocked].contains(followUps[handle].status) else { return nil }
            followUps[handle].status = .cancelled
            return [
                "FOLLOWUP", "CANCEL", followUps[handle].id, "REASON", random.pick(DemoText.followUpCancelReasons),
                "CANCELLED_ON", day,
            ]
        }
    }
}
