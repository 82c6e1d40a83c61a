/// The commitment commands (`COMMITMENT MAKE|PROGRESS|REDATE|FULFIL|CANCEL|REOPEN` on the wire), each
/// built for a `commitment-<uuid>` stream by `actor`, with the stream version it expects if any.
public enum CommitmentCommand {
    enum Action: Sendable {
        /// The commitment as made on a given day (`made_on` defaults to it).
        case make(@Sendable (_ today: ISODate) -> CommitmentMade)
        case progress(CommitmentProgressed)
        case redate(CommitmentDueDateChanged)
        /// The fulfilment as recorded on a given day (`fulfilled_on` defaults to it).
        case fulfil(@Sendable (_ today: ISODate) -> CommitmentFulfilled)
        case cancel(CommitmentCancelled)
        case reopen(CommitmentReopened)
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

    /// Reports progress on an open commitment; levels may go down as well as up.
    public static func progress(
        id: String,
        level: CompletionLevel,
        note: String? = nil,
        actor: Principal,
        expectedVersion: Int64? = nil
    ) throws(DomainError) -> DomainCommand {
        let id = try FieldRules.uuid(id, field: "id")
        let body = CommitmentProgressed(
            level: level,
            note: try FieldRules.optionalText(note, field: "note", limit: FieldRules.textLimit)
        )
        return command(id: id, .progress(body), actor: actor, expectedVersion: expectedVersion)
    }

    /// Changes an open commitment's due date, with the reason.
    public static func redate(
        id: String,
        dueOn: ISODate,
        reason: String,
        actor: Principal,
        expectedVersion: Int64? = nil
    ) throws(DomainError) -> DomainCommand {
        let id = try FieldRules.uuid(id, field: "id")
        let body = CommitmentDueDateChanged(
            dueOn: dueOn,
            reason: try FieldRules.text(reason, field: "reason", limit: FieldRules.reasonLimit)
        )
        return command(id: id, .redate(body), actor: actor, expectedVersion: expectedVersion)
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

    /// Cancels an open commitment, with the reason.
    public static func cancel(id: String, reason: String, actor: Principal, expectedVersion: Int64? = nil)
        throws(DomainError) -> DomainCommand
    {
        let id = try FieldRules.uuid(id, field: "id")
        let body = CommitmentCancelled(
            reason: try FieldRules.text(reason, field: "reason", limit: FieldRules.reasonLimit)
        )
        return command(id: id, .cancel(body), actor: actor, expectedVersion: expectedVersion)
    }

    /// Opens a fulfilled or cancelled commitment again.
    public static func reopen(id: String, reason: String? = nil, actor: Principal, expectedVersion: Int64? = nil)
        throws(DomainError) -> DomainCommand
    {
        let id = try FieldRules.uuid(id, field: "id")
        let body = CommitmentReopened(
            reason: try FieldRules.optionalText(reason, field: "reason", limit: FieldRules.reasonLimit)
        )
        return command(id: id, .reopen(body), actor: actor, expectedVersion: expectedVersion)
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
