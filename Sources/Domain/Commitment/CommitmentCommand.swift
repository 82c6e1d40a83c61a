/// The commitment commands (`COMMITMENT MAKE|PROGRESS|REDATE|FULFIL|CANCEL|REOPEN` on the wire), each
/// built for a `commitment-<uuid>` stream by `actor`, with the stream version it expects if any.
public enum CommitmentCommand {
    enum Action: Sendable {
        /// The commitment as made on a given day (`made_on` defaults to it).
        case make(@Sendable (_ today: ISODate) -> CommitmentMade)
        /// The progress as reported on a given day (`reported_on` defaults to it).
        case progress(@Sendable (_ today: ISODate) -> CommitmentProgressed)
        case redate(@Sendable (_ today: ISODate) -> CommitmentDueDateChanged)
        /// The fulfilment as recorded on a given day (`fulfilled_on` defaults to it).
        case fulfil(@Sendable (_ today: ISODate) -> CommitmentFulfilled)
        case cancel(@Sendable (_ today: ISODate) -> CommitmentCancelled)
        case reopen(@Sendable (_ today: ISODate) -> CommitmentReopened)
    }

    /// Records a commitment `ownerOrg` (a coordinator's own when nil) made to `madeTo`, due on `dueOn`,
    /// made on `madeOn` (today when nil); `source` is `activity-<uuid>` or a reference such as "decree ¶ 45".
    public static func make(
        id: String,
        ownerOrg: String? = nil,
        text: String,
        madeTo: String,
        dueOn: ISODate,
        madeOn: ISODate? = nil,
        caseID: String? = nil,
        source: String? = nil,
        actor: Principal,
        expectedVersion: Int64? = nil
    ) throws(DomainError) -> DomainCommand {
        let id = try FieldRules.uuid(id, field: "id")
        let ownerOrg = try DomainCommand.organization(ownerOrg, field: "owner_org", actor: actor)
        let text = try FieldRules.text(text, field: "text", limit: FieldRules.textLimit)
        let madeTo = try FieldRules.text(madeTo, field: "made_to", limit: FieldRules.titleLimit)
        let caseID = try FieldRules.optionalUUID(caseID, field: "case_id")
        let source = try Self.source(source)
        let related =
            ["org-\(ownerOrg)"] + (caseID.map { ["case-\($0)"] } ?? [])
            + (source.flatMap { $0.hasPrefix("activity-") ? [$0] : nil } ?? [])
        let action = Action.make { today in
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
        return command(id: id, action, related: related, actor: actor, expectedVersion: expectedVersion)
    }

    /// Reports progress on an open commitment on `reportedOn` (today when nil); levels may go down as well as up.
    public static func progress(
        id: String,
        level: CompletionLevel,
        note: String? = nil,
        reportedOn: ISODate? = nil,
        actor: Principal,
        expectedVersion: Int64? = nil
    ) throws(DomainError) -> DomainCommand {
        let id = try FieldRules.uuid(id, field: "id")
        let note = try FieldRules.optionalText(note, field: "note", limit: FieldRules.textLimit)
        let action = Action.progress { today in
            CommitmentProgressed(level: level, note: note, reportedOn: reportedOn ?? today)
        }
        return command(id: id, action, actor: actor, expectedVersion: expectedVersion)
    }

    /// Changes an open commitment's due date, with the reason, on `redatedOn` (today when nil).
    public static func redate(
        id: String,
        dueOn: ISODate,
        reason: String,
        redatedOn: ISODate? = nil,
        actor: Principal,
        expectedVersion: Int64? = nil
    ) throws(DomainError) -> DomainCommand {
        let id = try FieldRules.uuid(id, field: "id")
        let reason = try FieldRules.text(reason, field: "reason", limit: FieldRules.reasonLimit)
        let action = Action.redate { today in
            CommitmentDueDateChanged(dueOn: dueOn, reason: reason, redatedOn: redatedOn ?? today)
        }
        return command(id: id, action, actor: actor, expectedVersion: expectedVersion)
    }

    /// Records that an open commitment was kept, with evidence, on `fulfilledOn` (today when nil).
    public static func fulfil(
        id: String,
        evidence: String,
        fulfilledOn: ISODate? = nil,
        actor: Principal,
        expectedVersion: Int64? = nil
    ) throws(DomainError) -> DomainCommand {
        let id = try FieldRules.uuid(id, field: "id")
        let evidence = try FieldRules.text(evidence, field: "evidence", limit: FieldRules.textLimit)
        let action = Action.fulfil { today in CommitmentFulfilled(evidence: evidence, fulfilledOn: fulfilledOn ?? today)
        }
        return command(id: id, action, actor: actor, expectedVersion: expectedVersion)
    }

    /// Cancels an open commitment, with the reason, on `cancelledOn` (today when nil).
    public static func cancel(
        id: String,
        reason: String,
        cancelledOn: ISODate? = nil,
        actor: Principal,
        expectedVersion: Int64? = nil
    ) throws(DomainError) -> DomainCommand {
        let id = try FieldRules.uuid(id, field: "id")
        let reason = try FieldRules.text(reason, field: "reason", limit: FieldRules.reasonLimit)
        let action = Action.cancel { today in CommitmentCancelled(reason: reason, cancelledOn: cancelledOn ?? today) }
        return command(id: id, action, actor: actor, expectedVersion: expectedVersion)
    }

    /// Opens a fulfilled or cancelled commitment again on `reopenedOn` (today when nil).
    public static func reopen(
        id: String,
        reason: String? = nil,
        reopenedOn: ISODate? = nil,
        actor: Principal,
        expectedVersion: Int64? = nil
    ) throws(DomainError) -> DomainCommand {
        let id = try FieldRules.uuid(id, field: "id")
        let reason = try FieldRules.optionalText(reason, field: "reason", limit: FieldRules.reasonLimit)
        let action = Action.reopen { today in CommitmentReopened(reason: reason, reopenedOn: reopenedOn ?? today) }
        return command(id: id, action, actor: actor, expectedVersion: expectedVersion)
    }

    private static func command(
        id: String,
        _ action: Action,
        related: [String] = [],
        actor: Principal,
        expectedVersion: Int64?
    ) -> DomainCommand {
        DomainCommand(
            stream: "commitment-\(id)",
            id: id,
            expectedVersion: expectedVersion,
            related: related,
            actor: actor,
            action: .commitment(action)
        )
    }

    /// `activity-<uuid>` (an activity that must exist), or a reference such as "consent decree ¶ 45".
    private static func source(_ value: String?) throws(DomainError) -> String? {
        guard let text = try FieldRules.optionalText(value, field: "source", limit: FieldRules.titleLimit) else {
            return nil
        }
        guard text.lowercased().hasPrefix("activity-") else { return text }
        return "activity-" + (try FieldRules.uuid(String(text.dropFirst("activity-".count)), field: "source"))
    }
}

extension CommitmentState {
    func decide(_ command: CommitmentCommand.Action, context: DecisionContext) throws(DomainError) -> [CommitmentEvent]
    {
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
        case .progress(let draft):
            let body = draft(context.today)
            let made = try requireOpen(context, toBe: "progressed")
            try context.requireDay(body.reportedOn, field: "reported_on", notBefore: made.madeOn, startField: "made_on")
            return [.progressed(body)]
        case .redate(let draft):
            let body = draft(context.today)
            let made = try requireOpen(context, toBe: "redated")
            try context.requireDay(body.redatedOn, field: "redated_on", notBefore: made.madeOn, startField: "made_on")
            guard body.dueOn >= made.madeOn else { throw .invalid("due_on", "must not be before made_on") }
            guard body.dueOn != dueOn else { throw .invalid("due_on", "is already the due date") }
            return [.dueDateChanged(body)]
        case .fulfil(let draft):
            let body = draft(context.today)
            let made = try requireOpen(context, toBe: "fulfilled", unless: .fulfilled)
            try context.requireNotFuture(body.fulfilledOn, field: "fulfilled_on")
            guard body.fulfilledOn >= made.madeOn else { throw .invalid("fulfilled_on", "must not be before made_on") }
            return [.fulfilled(body)]
        case .cancel(let draft):
            let body = draft(context.today)
            let made = try requireOpen(context, toBe: "cancelled", unless: .cancelled)
            try context.requireDay(
                body.cancelledOn,
                field: "cancelled_on",
                notBefore: made.madeOn,
                startField: "made_on"
            )
            return [.cancelled(body)]
        case .reopen(let draft):
            let body = draft(context.today)
            let made = try requireExisting(context)
            guard status != .open else { throw .invalid("status", "an open commitment cannot be reopened") }
            try context.requireDay(body.reopenedOn, field: "reopened_on", notBefore: made.madeOn, startField: "made_on")
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
