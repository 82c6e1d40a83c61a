/// `FOLLOWUP SCHEDULE|BLOCK|COMPLETE|CANCEL`.
enum FollowUpCommand: Sendable {
    case schedule(FollowUpScheduled)
    case block(FollowUpBlocked)
    /// The completion as recorded on a given day (`completed_on` defaults to it).
    case complete(@Sendable (_ today: ISODate) -> FollowUpCompleted)
    case cancel(FollowUpCancelled)

    /// The kinds of stream a follow-up may be about.
    static let subjects = ["case", "commitment", "activity"]

    static func parse(verb: String, arguments: [String], actor: Principal, newID: () -> String) throws(DomainError)
        -> DomainCommand
    {
        let id: String
        let fields: CommandFields
        let command: FollowUpCommand
        var related: [String] = []
        if verb == "SCHEDULE" {
            fields = try CommandFields(arguments[...], allowed: ["id", "about", "assignee_org", "due_on", "note"])
            id = try fields.newID(newID)
            let scheduled = FollowUpScheduled(
                about: try about(try fields.required("about")),
                assigneeOrg: try fields.organization("assignee_org", actor: actor),
                dueOn: try fields.requiredDate("due_on"),
                note: try fields.text("note", limit: FieldRules.textLimit)
            )
            command = .schedule(scheduled)
            related = ["org-\(scheduled.assigneeOrg)", scheduled.about]
        } else {
            let (given, rest) = try CommandFields.positional(arguments, field: "id")
            id = try FieldRules.uuid(given, field: "id")
            switch verb {
            case "BLOCK":
                fields = try CommandFields(rest, allowed: ["reason"])
                command = .block(
                    FollowUpBlocked(reason: try fields.requiredText("reason", limit: FieldRules.reasonLimit))
                )
            case "COMPLETE":
                fields = try CommandFields(rest, allowed: ["outcome", "completed_on"])
                let outcome = try fields.requiredText("outcome", limit: FieldRules.textLimit)
                let completedOn = try fields.date("completed_on")
                command = .complete { today in FollowUpCompleted(outcome: outcome, completedOn: completedOn ?? today) }
            case "CANCEL":
                fields = try CommandFields(rest, allowed: ["reason"])
                command = .cancel(FollowUpCancelled(reason: try fields.text("reason", limit: FieldRules.reasonLimit)))
            default: throw DomainCommand.unknownVerb("FOLLOWUP", verb)
            }
        }
        return DomainCommand(
            stream: "followup-\(id)",
            id: id,
            expectedVersion: fields.expectedVersion,
            related: related,
            actor: actor,
            action: .followUp(command)
        )
    }

    /// `case-<uuid>`, `commitment-<uuid>` or `activity-<uuid>`, the UUID lowercased.
    private static func about(_ value: String) throws(DomainError) -> String {
        let rule = "must name a case, commitment or activity as case-<uuid>, commitment-<uuid> or activity-<uuid>"
        guard let dash = value.firstIndex(of: "-") else { throw .invalid("about", rule) }
        let kind = value[..<dash].lowercased()
        guard subjects.contains(kind) else { throw .invalid("about", rule) }
        guard let id = try? FieldRules.uuid(String(value[value.index(after: dash)...]), field: "about") else {
            throw .invalid("about", rule)
        }
        return "\(kind)-\(id)"
    }
}

extension FollowUpState {
    func decide(_ command: FollowUpCommand, context: DecisionContext) throws(DomainError) -> [FollowUpEvent] {
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
