/// The case commands (`CASE OPEN|NOTE|REASSIGN|CLOSE|REOPEN` on the wire), each built for a
/// `case-<uuid>` stream by `actor`, with the stream version it expects if any.
public enum CaseCommand {
    /// Each event as recorded on a given day (its own date defaults to it).
    enum Action: Sendable {
        case open(@Sendable (_ today: ISODate) -> CaseOpened)
        case note(@Sendable (_ today: ISODate) -> CaseNoteAdded)
        case reassign(@Sendable (_ today: ISODate) -> CaseReassigned)
        case close(@Sendable (_ today: ISODate) -> CaseClosed)
        case reopen(@Sendable (_ today: ISODate) -> CaseReopened)
    }

    /// Opens a case led by `leadOrg` (a coordinator's own when nil) on `openedOn` (today when nil);
    /// `themes` are names or slugs.
    public static func open(
        id: String,
        title: String,
        leadOrg: String? = nil,
        communityAreas: [CommunityArea] = [],
        themes: [String] = [],
        summary: String? = nil,
        openedOn: ISODate? = nil,
        actor: Principal,
        expectedVersion: Int64? = nil
    ) throws(DomainError) -> DomainCommand {
        let id = try FieldRules.uuid(id, field: "id")
        let title = try FieldRules.text(title, field: "title", limit: FieldRules.titleLimit)
        let leadOrg = try DomainCommand.organization(leadOrg, field: "lead_org", actor: actor)
        let communityAreas = DomainCommand.unique(communityAreas)
        let themes = try ThemeVocabulary.slugs(themes)
        let summary = try FieldRules.optionalText(summary, field: "summary", limit: FieldRules.textLimit)
        let related = ["org-\(leadOrg)"] + (themes.isEmpty ? [] : [ThemeVocabulary.stream])
        let action = Action.open { today in
            CaseOpened(
                title: title,
                leadOrg: leadOrg,
                communityAreas: communityAreas,
                themes: themes,
                summary: summary,
                openedOn: openedOn ?? today
            )
        }
        return command(id: id, action, related: related, actor: actor, expectedVersion: expectedVersion)
    }

    /// Adds a note to an open case, noted on `notedOn` (today when nil).
    public static func note(
        id: String,
        note: String,
        notedOn: ISODate? = nil,
        actor: Principal,
        expectedVersion: Int64? = nil
    ) throws(DomainError) -> DomainCommand {
        let id = try FieldRules.uuid(id, field: "id")
        let note = try FieldRules.text(note, field: "note", limit: FieldRules.textLimit)
        let action = Action.note { today in CaseNoteAdded(note: note, notedOn: notedOn ?? today) }
        return command(id: id, action, actor: actor, expectedVersion: expectedVersion)
    }

    /// Hands an open case to another organization on `reassignedOn` (today when nil).
    public static func reassign(
        id: String,
        leadOrg: String,
        reason: String? = nil,
        reassignedOn: ISODate? = nil,
        actor: Principal,
        expectedVersion: Int64? = nil
    ) throws(DomainError) -> DomainCommand {
        let id = try FieldRules.uuid(id, field: "id")
        let leadOrg = try FieldRules.slug(leadOrg, field: "lead_org")
        let reason = try FieldRules.optionalText(reason, field: "reason", limit: FieldRules.reasonLimit)
        let action = Action.reassign { today in
            CaseReassigned(leadOrg: leadOrg, reason: reason, reassignedOn: reassignedOn ?? today)
        }
        return command(id: id, action, related: ["org-\(leadOrg)"], actor: actor, expectedVersion: expectedVersion)
    }

    /// Closes a case with its resolution on `closedOn` (today when nil).
    public static func close(
        id: String,
        resolution: String,
        closedOn: ISODate? = nil,
        actor: Principal,
        expectedVersion: Int64? = nil
    ) throws(DomainError) -> DomainCommand {
        let id = try FieldRules.uuid(id, field: "id")
        let resolution = try FieldRules.text(resolution, field: "resolution", limit: FieldRules.textLimit)
        let action = Action.close { today in CaseClosed(resolution: resolution, closedOn: closedOn ?? today) }
        return command(id: id, action, actor: actor, expectedVersion: expectedVersion)
    }

    /// Opens a closed case again on `reopenedOn` (today when nil).
    public static func reopen(
        id: String,
        reason: String? = nil,
        reopenedOn: ISODate? = nil,
        actor: Principal,
        expectedVersion: Int64? = nil
    ) throws(DomainError) -> DomainCommand {
        let id = try FieldRules.uuid(id, field: "id")
        let reason = try FieldRules.optionalText(reason, field: "reason", limit: FieldRules.reasonLimit)
        let action = Action.reopen { today in CaseReopened(reason: reason, reopenedOn: reopenedOn ?? today) }
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
            stream: "case-\(id)",
            id: id,
            expectedVersion: expectedVersion,
            related: related,
            actor: actor,
            action: .case(action)
        )
    }
}

extension CaseState {
    func decide(_ command: CaseCommand.Action, context: DecisionContext) throws(DomainError) -> [CaseEvent] {
        switch command {
        case .open(let draft):
            let body = draft(context.today)
            try context.authorize(org: body.leadOrg, field: "lead_org")
            if let opened {
                guard opened == body else { throw .conflict("case", "\(id) already exists") }
                return []
            }
            try context.requireNotFuture(body.openedOn, field: "opened_on")
            try context.requireActiveOrganization(body.leadOrg, field: "lead_org", work: "cases")
            try context.requireThemes(body.themes)
            return [.opened(body)]
        case .note(let draft):
            let body = draft(context.today)
            guard try current(context).status == .open else {
                throw .invalid("status", "a closed case takes no notes; reopen it first")
            }
            try requireDay(body.notedOn, field: "noted_on", context: context)
            return [.noteAdded(body)]
        case .reassign(let draft):
            let body = draft(context.today)
            let (leadOrg, status) = try current(context)
            guard status == .open else {
                throw .invalid("status", "a closed case cannot be reassigned; reopen it first")
            }
            guard body.leadOrg != leadOrg else { throw .invalid("lead_org", "\(leadOrg) already leads the case") }
            try requireDay(body.reassignedOn, field: "reassigned_on", context: context)
            try context.requireActiveOrganization(body.leadOrg, field: "lead_org", work: "cases")
            return [.reassigned(body)]
        case .close(let draft):
            let body = draft(context.today)
            guard try current(context).status == .open else { throw .invalid("status", "the case is already closed") }
            try requireDay(body.closedOn, field: "closed_on", context: context)
            return [.closed(body)]
        case .reopen(let draft):
            let body = draft(context.today)
            guard try current(context).status == .closed else {
                throw .invalid("status", "an open case cannot be reopened")
            }
            try requireDay(body.reopenedOn, field: "reopened_on", context: context)
            return [.reopened(body)]
        }
    }

    /// The day of an event on this case: not after today, not before the case was opened.
    private func requireDay(_ day: ISODate, field: String, context: DecisionContext) throws(DomainError) {
        try context.requireDay(day, field: field, notBefore: opened?.openedOn, startField: "opened_on")
    }

    /// The lead and status of an existing case the actor may act on.
    private func current(_ context: DecisionContext) throws(DomainError) -> (leadOrg: String, status: Status) {
        guard let leadOrg, let status else { throw .notFound("case", "\(id) does not exist") }
        try context.authorize(org: leadOrg, field: "lead_org")
        return (leadOrg, status)
    }
}
