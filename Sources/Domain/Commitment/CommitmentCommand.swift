/// `COMMITMENT MAKE|PROGRESS|REDATE|FULFIL|CANCEL|REOPEN`.
enum CommitmentCommand: Sendable {
    /// The commitment as made on a given day (`made_on` defaults to it).
    case make(@Sendable (_ today: ISODate) -> CommitmentMade)
    case progress(CommitmentProgressed)
    case redate(CommitmentDueDateChanged)
    /// The fulfilment as recorded on a given day (`fulfilled_on` defaults to it).
    case fulfil(@Sendable (_ today: ISODate) -> CommitmentFulfilled)
    case cancel(CommitmentCancelled)
    case reopen(CommitmentReopened)

    static func parse(verb: String, arguments: [String], actor: Principal, newID: () -> String) throws(DomainError)
        -> DomainCommand
    {
        let id: String
        let fields: CommandFields
        let command: CommitmentCommand
        var related: [String] = []
        if verb == "MAKE" {
            fields = try CommandFields(
                arguments[...],
                allowed: ["id", "owner_org", "text", "made_to", "made_on", "due_on", "case_id", "source"]
            )
            id = try fields.newID(newID)
            let ownerOrg = try fields.organization("owner_org", actor: actor)
            let text = try fields.requiredText("text", limit: FieldRules.textLimit)
            let madeTo = try fields.requiredText("made_to", limit: FieldRules.titleLimit)
            let madeOn = try fields.date("made_on")
            let dueOn = try fields.requiredDate("due_on")
            let caseID = try fields.uuid("case_id")
            let source = try source(fields.value("source"))
            command = .make { today in
                CommitmentMade(
                    ownerOrg: ownerOrg,
                    text: text,
                    madeTo: madeTo,
                    madeOn: madeOn ?? today,
                    dueOn: dueOn,
                    caseID: caseID,
                    source: source
                )
            }
            related =
                ["org-\(ownerOrg)"] + (caseID.map { ["case-\($0)"] } ?? [])
                + (source.flatMap { $0.hasPrefix("activity-") ? [$0] : nil } ?? [])
        } else {
            let (given, rest) = try CommandFields.positional(arguments, field: "id")
            id = try FieldRules.uuid(given, field: "id")
            switch verb {
            case "PROGRESS":
                fields = try CommandFields(rest, allowed: ["level", "note"])
                command = .progress(
                    CommitmentProgressed(
                        level: try CompletionLevel(parsing: try fields.required("level")),
                        note: try fields.text("note", limit: FieldRules.textLimit)
                    )
                )
            case "REDATE":
                fields = try CommandFields(rest, allowed: ["due_on", "reason"])
                command = .redate(
                    CommitmentDueDateChanged(
                        dueOn: try fields.requiredDate("due_on"),
                        reason: try fields.requiredText("reason", limit: FieldRules.reasonLimit)
                    )
                )
            case "FULFIL":
                fields = try CommandFields(rest, allowed: ["evidence", "fulfilled_on"])
                let evidence = try fields.requiredText("evidence", limit: FieldRules.textLimit)
                let fulfilledOn = try fields.date("fulfilled_on")
                command = .fulfil { today in CommitmentFulfilled(evidence: evidence, fulfilledOn: fulfilledOn ?? today)
                }
            case "CANCEL":
                fields = try CommandFields(rest, allowed: ["reason"])
                command = .cancel(
                    CommitmentCancelled(reason: try fields.requiredText("reason", limit: FieldRules.reasonLimit))
                )
            case "REOPEN":
                fields = try CommandFields(rest, allowed: ["reason"])
                command = .reopen(CommitmentReopened(reason: try fields.text("reason", limit: FieldRules.reasonLimit)))
            default: throw DomainCommand.unknownVerb("COMMITMENT", verb)
            }
        }
        return DomainCommand(
            stream: "commitment-\(id)",
            id: id,
            expectedVersion: fields.expectedVersion,
            related: related,
            actor: actor,
            action: .commitment(command)
        )
    }

    /// `activity-<uuid>` (an activity that must exist), or a reference such as "consent decree ¶ 45".
    private static func source(_ value: String?) throws(DomainError) -> String? {
        guard let value else { return nil }
        let text = try FieldRules.text(value, field: "source", limit: FieldRules.titleLimit)
        guard text.lowercased().hasPrefix("activity-") else { return text }
        return "activity-" + (try FieldRules.uuid(String(text.dropFirst("activity-".count)), field: "source"))
    }
}

extension CommitmentState {
    func decide(_ command: CommitmentCommand, context: DecisionContext) throws(DomainError) -> [CommitmentEvent] {
        switch command {
        case .make(let draft):
            let body = draft(context.today)
            try context.authorize(org: body.ownerOrg, field: "owner_org")
            if let made {
                guard made == body else { throw .conflict("commitment", "\(id) already exists") }
                return []
            }
            try context.requireNotFuture(body.madeOn, field: "made_on")
            guard body.dueOn >= body.madeOn else { throw .invalid("due_on", "must not be before made_on") }
            try context.requireActiveOrganization(body.ownerOrg, field: "owner_org", work: "commitments")
            if let caseID = body.caseID { try context.requireExisting("case-\(caseID)", field: "case_id") }
            if let source = body.source, source.hasPrefix("activity-") {
                try context.requireExisting(source, field: "source")
            }
            return [.made(body)]
        case .progress(let body):
            _ = try requireOpen(context, toBe: "progressed")
            return [.progressed(body)]
        case .redate(let body):
            let made = try requireOpen(context, toBe: "redated")
            guard body.dueOn >= made.madeOn else { throw .invalid("due_on", "must not be before made_on") }
            guard body.dueOn != dueOn else { throw .invalid("due_on", "is already the due date") }
            return [.dueDateChanged(body)]
        case .fulfil(let draft):
            let body = draft(context.today)
            let made = try requireOpen(context, toBe: "fulfilled", unless: .fulfilled)
            try context.requireNotFuture(body.fulfilledOn, field: "fulfilled_on")
            guard body.fulfilledOn >= made.madeOn else { throw .invalid("fulfilled_on", "must not be before made_on") }
            return [.fulfilled(body)]
        case .cancel(let body):
            _ = try requireOpen(context, toBe: "cancelled", unless: .cancelled)
            return [.cancelled(body)]
        case .reopen(let body):
            _ = try requireExisting(context)
            guard status != .open else { throw .invalid("status", "an open commitment cannot be reopened") }
            return [.reopened(body)]
        }
    }

    /// An existing commitment the actor may act on.
    private func requireExisting(_ context: DecisionContext) throws(DomainError) -> CommitmentMade {
        guard let made else { throw .notFound("commitment", "\(id) does not exist") }
        try context.authorize(org: made.ownerOrg, field: "owner_org")
        return made
    }

    /// An existing, open commitment; fulfilled and cancelled ones must be reopened first.
    private func requireOpen(_ context: DecisionContext, toBe verb: String, unless already: Status? = nil)
        throws(DomainError) -> CommitmentMade
    {
        let made = try requireExisting(context)
        guard let status, status != .open else { return made }
        if status == already { throw .invalid("status", "the commitment is already \(status.rawValue)") }
        throw .invalid("status", "a \(status.rawValue) commitment cannot be \(verb); reopen it first")
    }
}
