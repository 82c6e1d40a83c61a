/// The follow-up commands (`FOLLOWUP SCHEDULE|BLOCK|COMPLETE|CANCEL` on the wire), each built for a
/// `followup-<uuid>` stream by `actor`, with the stream version it expects if any.
public enum FollowUpCommand {
    enum Action: Sendable {
        /// Each event as recorded on a given day (its own date defaults to it).
        case schedule(@Sendable (_ today: ISODate) -> FollowUpScheduled)
        case block(@Sendable (_ today: ISODate) -> FollowUpBlocked)
        /// The completion as recorded on a given day (`completed_on` defaults to it).
        case complete(@Sendable (_ today: ISODate) -> FollowUpCompleted)
        case cancel(@Sendable (_ today: ISODate) -> FollowUpCancelled)
    }

    /// The kinds of stream a follow-up may be about.
    static let subjects = ["case", "commitment", "activity"]

    /// Schedules a follow-up on `about` (`case-<uuid>`, `commitment-<uuid>` or `activity-<uuid>`) for
    /// `assigneeOrg` (a coordinator's own when nil), scheduled on `scheduledOn` (today when nil).
    public static func schedule(
        id: String,
        about: String,
        assigneeOrg: String? = nil,
        dueOn: ISODate,
        note: String? = nil,
        scheduledOn: ISODate? = nil,
        actor: Principal,
        expectedVersion: Int64? = nil
    ) throws(DomainError) -> DomainCommand {
        let id = try FieldRules.uuid(id, field: "id")
        let about = try subject(about)
        let assigneeOrg = try DomainCommand.organization(assigneeOrg, field: "assignee_org", actor: actor)
        let note = try FieldRules.optionalText(note, field: "note", limit: FieldRules.textLimit)
        let action = Action.schedule { today in
            FollowUpScheduled(
                about: about,
                assigneeOrg: assigneeOrg,
                dueOn: dueOn,
                note: note,
                scheduledOn: scheduledOn ?? today
            )
        }
        let related = ["org-\(assigneeOrg)", about]
        return command(id: id, action, related: related, actor: actor, expectedVersion: expectedVersion)
    }

    /// Marks a follow-up as blocked, with the reason (e.g. waiting on procurement), on `blockedOn` (today when nil).
    public static func block(
        id: String,
        reason: String,
        blockedOn: ISODate? = nil,
        actor: Principal,
        expectedVersion: Int64? = nil
    ) throws(DomainError) -> DomainCommand {
        let id = try FieldRules.uuid(id, field: "id")
        let reason = try FieldRules.text(reason, field: "reason", limit: FieldRules.reasonLimit)
        let action = Action.block { today in FollowUpBlocked(reason: reason, blockedOn: blockedOn ?? today) }
        return command(id: id, action, actor: actor, expectedVersion: expectedVersion)
    }

    /// Completes a follow-up with its outcome, on `completedOn` (today when nil).
    public static func complete(
        id: String,
        outcome: String,
        completedOn: ISODate? = nil,
        actor: Principal,
        expectedVersion: Int64? = nil
    ) throws(DomainError) -> DomainCommand {
        let id = try FieldRules.uuid(id, field: "id")
        let outcome = try FieldRules.text(outcome, field: "outcome", limit: FieldRules.textLimit)
        let action = Action.complete { today in FollowUpCompleted(outcome: outcome, completedOn: completedOn ?? today) }
        return command(id: id, action, actor: actor, expectedVersion: expectedVersion)
    }

    /// Cancels a follow-up on `cancelledOn` (today when nil).
    public static func cancel(
        id: String,
        reason: String? = nil,
        cancelledOn: ISODate? = nil,
        actor: Principal,
        expectedVersion: Int64? = nil
    ) throws(DomainError) -> DomainCommand {
        let id = try FieldRules.uuid(id, field: "id")
        let reason = try FieldRules.optionalText(reason, field: "reason", limit: FieldRules.reasonLimit)
        let action = Action.cancel { today in FollowUpCancelled(reason: reason, cancelledOn: cancelledOn ?? today) }
        return command(id: id, action, actor: actor, expectedVersion: expectedVersion)
    }

    /// `case-<uuid>`, `commitment-<uuid>` or `activity-<uuid>`, the UUID lowercased.
    private static func subject(_ value: String) throws(DomainError) -> String {
        let rule = "must name a case, commitment or activity as case-<uuid>, commitment-<uuid> or activity-<uuid>"
        guard let dash = value.firstIndex(of: "-") else { throw .invalid("about", rule) }
        let kind = value[..<dash].lowercased()
        guard subjects.contains(kind) else { throw .invalid("about", rule) }
        guard let id = try? FieldRules.uuid(String(value[value.index(after: dash)...]), field: "about") else {
            throw .invalid("about", rule)
        }
        return "\(kind)-\(id)"
    }

    private static func command(
        id: String,
        _ action: Action,
        related: [String] = [],
        actor: Principal,
        expectedVersion: Int64?
    ) -> DomainCommand {
        DomainCommand(
            stream: "followup-\(id)",
            id: id,
            expectedVersion: expectedVersion,
            related: related,
            actor: actor,
            action: .followUp(action)
        )
    }
}

extension FollowUpState {
    func decide(_ command: FollowUpCommand.Action, context: DecisionContext) throws(DomainError) -> [FollowUpEvent] {
        switch command {
        case .schedule(let draft):
            let body = draft(context.today)
            try context.authorize(org: body.assigneeOrg, field: "assignee_org")
            if let scheduled {
                guard scheduled == body else { throw .conflict("followup", "\(id) already exists") }
                return []
            }
            try context.requireNotFuture(body.scheduledOn, field: "scheduled_on")
            try context.requireActiveOrganization(body.assigneeOrg, field: "assignee_org", work: "follow-ups")
            try context.requireExisting(body.about, field: "about")
            return [.scheduled(body)]
        case .block(let draft):
            let body = draft(context.today)
            try requireUnfinished(context, toBe: "blocked")
            try requireDay(body.blockedOn, field: "blocked_on", context: context)
            guard !(status == .blocked && blockedReason == body.reason) else {
                throw .invalid("reason", "the follow-up is already blocked for this reason")
            }
            return [.blocked(body)]
        case .complete(let draft):
            let body = draft(context.today)
            try requireUnfinished(context, toBe: "completed")
            try requireDay(body.completedOn, field: "completed_on", context: context)
            return [.completed(body)]
        case .cancel(let draft):
            let body = draft(context.today)
            try requireUnfinished(context, toBe: "cancelled")
            try requireDay(body.cancelledOn, field: "cancelled_on", context: context)
            return [.cancelled(body)]
        }
    }

    /// The day of an event on this follow-up: not after today, not before it was scheduled.
    private func requireDay(_ day: ISODate, field: String, context: DecisionContext) throws(DomainError) {
        try context.requireDay(day, field: field, notBefore: scheduled?.scheduledOn, startField: "scheduled_on")
    }

    /// An existing follow-up the actor may act on, still scheduled or blocked.
    private func requireUnfinished(_ context: DecisionContext, toBe verb: String) throws(DomainError) {
        guard let scheduled, let status else { throw .notFound("followup", "\(id) does not exist") }
        try context.authorize(org: scheduled.assigneeOrg, field: "assignee_org")
        switch status {
        case .scheduled, .blocked: return
        case .completed, .cancelled:
            if status.rawValue == verb { throw .invalid("status", "the follow-up is already \(verb)") }
            throw .invalid("status", "a \(status.rawValue) follow-up cannot be \(verb)")
        }
    }
}
