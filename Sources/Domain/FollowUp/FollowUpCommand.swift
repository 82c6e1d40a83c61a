/// The follow-up commands (`FOLLOWUP SCHEDULE|BLOCK|COMPLETE|CANCEL` on the wire), each built for a
/// `followup-<uuid>` stream by `actor`, with the stream version it expects if any.
public enum FollowUpCommand {
    enum Action: Sendable {
        case schedule(FollowUpScheduled)
        case block(FollowUpBlocked)
        /// The completion as recorded on a given day (`completed_on` defaults to it).
        case complete(@Sendable (_ today: ISODate) -> FollowUpCompleted)
        case cancel(FollowUpCancelled)
    }

    /// The kinds of stream a follow-up may be about.
    static let subjects = ["case", "commitment", "activity"]

    /// Schedules a follow-up on `about` (`case-<uuid>`, `commitment-<uuid>` or `activity-<uuid>`) for
    /// `assigneeOrg` (a coordinator's own when nil).
    public static func schedule(
        id: String,
        about: String,
        assigneeOrg: String? = nil,
        dueOn: ISODate,
        note: String? = nil,
        actor: Principal,
        expectedVersion: Int64? = nil
    ) throws(DomainError) -> DomainCommand {
        let id = try FieldRules.uuid(id, field: "id")
        let scheduled = FollowUpScheduled(
            about: try subject(about),
            assigneeOrg: try DomainCommand.organization(assigneeOrg, field: "assignee_org", actor: actor),
            dueOn: dueOn,
            note: try FieldRules.optionalText(note, field: "note", limit: FieldRules.textLimit)
        )
        let related = ["org-\(scheduled.assigneeOrg)", scheduled.about]
        return command(id: id, .schedule(scheduled), related: related, actor: actor, expectedVersion: expectedVersion)
    }

    /// Marks a follow-up as blocked, with the reason (e.g. waiting on procurement).
    public static func block(id: String, reason: String, actor: Principal, expectedVersion: Int64? = nil)
        throws(DomainError) -> DomainCommand
    {
        let id = try FieldRules.uuid(id, field: "id")
        let body = FollowUpBlocked(reason: try FieldRules.text(reason, field: "reason", limit: FieldRules.reasonLimit))
        return command(id: id, .block(body), actor: actor, expectedVersion: expectedVersion)
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

    /// Cancels a follow-up.
    public static func cancel(id: String, reason: String? = nil, actor: Principal, expectedVersion: Int64? = nil)
        throws(DomainError) -> DomainCommand
    {
        let id = try FieldRules.uuid(id, field: "id")
        let body = FollowUpCancelled(
            reason: try FieldRules.optionalText(reason, field: "reason", limit: FieldRules.reasonLimit)
        )
        return command(id: id, .cancel(body), actor: actor, expectedVersion: expectedVersion)
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
        case .schedule(let body):
            try context.authorize(org: body.assigneeOrg, field: "assignee_org")
            if let scheduled {
                guard scheduled == body else { throw .conflict("followup", "\(id) already exists") }
                return []
            }
            try context.requireActiveOrganization(body.assigneeOrg, field: "assignee_org", work: "follow-ups")
            try context.requireExisting(body.about, field: "about")
            return [.scheduled(body)]
        case .block(let body):
            try requireUnfinished(context, toBe: "blocked")
            guard !(status == .blocked && blockedReason == body.reason) else {
                throw .invalid("reason", "the follow-up is already blocked for this reason")
            }
            return [.blocked(body)]
        case .complete(let draft):
            let body = draft(context.today)
            try requireUnfinished(context, toBe: "completed")
            try context.requireNotFuture(body.completedOn, field: "completed_on")
            return [.completed(body)]
        case .cancel(let body):
            try requireUnfinished(context, toBe: "cancelled")
            return [.cancelled(body)]
        }
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
