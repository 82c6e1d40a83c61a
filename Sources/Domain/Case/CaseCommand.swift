/// The case commands (`CASE OPEN|NOTE|REASSIGN|CLOSE|REOPEN` on the wire), each built for a
/// `case-<uuid>` stream by `actor`, with the stream version it expects if any.
public enum CaseCommand {
    enum Action: Sendable {
        case open(CaseOpened)
        case note(CaseNoteAdded)
        case reassign(CaseReassigned)
        case close(CaseClosed)
        case reopen(CaseReopened)
    }

    /// Opens a case led by `leadOrg` (a coordinator's own when nil); `themes` are names or slugs.
    public static func open(
        id: String,
        title: String,
        leadOrg: String? = nil,
        communityAreas: [CommunityArea] = [],
        themes: [String] = [],
        summary: String? = nil,
        actor: Principal,
        expectedVersion: Int64? = nil
    ) throws(DomainError) -> DomainCommand {
        let id = try FieldRules.uuid(id, field: "id")
        let opened = CaseOpened(
            title: try FieldRules.text(title, field: "title", limit: FieldRules.titleLimit),
            leadOrg: try DomainCommand.organization(leadOrg, field: "lead_org", actor: actor),
            communityAreas: DomainCommand.unique(communityAreas),
            themes: try ThemeVocabulary.slugs(themes),
            summary: try FieldRules.optionalText(summary, field: "summary", limit: FieldRules.textLimit)
        )
        let related = ["org-\(opened.leadOrg)"] + (opened.themes.isEmpty ? [] : [ThemeVocabulary.stream])
        return command(id: id, .open(opened), related: related, actor: actor, expectedVersion: expectedVersion)
    }

    /// Adds a note to an open case.
    public static func note(id: String, note: String, actor: Principal, expectedVersion: Int64? = nil)
        throws(DomainError) -> DomainCommand
    {
        let id = try FieldRules.uuid(id, field: "id")
        let body = CaseNoteAdded(note: try FieldRules.text(note, field: "note", limit: FieldRules.textLimit))
        return command(id: id, .note(body), actor: actor, expectedVersion: expectedVersion)
    }

    /// Hands an open case to another organization.
    public static func reassign(
        id: String,
        leadOrg: String,
        reason: String? = nil,
        actor: Principal,
        expectedVersion: Int64? = nil
    ) throws(DomainError) -> DomainCommand {
        let id = try FieldRules.uuid(id, field: "id")
        let body = CaseReassigned(
            leadOrg: try FieldRules.slug(leadOrg, field: "lead_org"),
            reason: try FieldRules.optionalText(reason, field: "reason", limit: FieldRules.reasonLimit)
        )
        return command(
            id: id,
            .reassign(body),
            related: ["org-\(body.leadOrg)"],
            actor: actor,
            expectedVersion: expectedVersion
        )
    }

    /// Closes a case with its resolution.
    public static func close(id: String, resolution: String, actor: Principal, expectedVersion: Int64? = nil)
        throws(DomainError) -> DomainCommand
    {
        let id = try FieldRules.uuid(id, field: "id")
        let body = CaseClosed(
            resolution: try FieldRules.text(resolution, field: "resolution", limit: FieldRules.textLimit)
        )
        return command(id: id, .close(body), actor: actor, expectedVersion: expectedVersion)
    }

    /// Opens a closed case again.
    public static func reopen(id: String, reason: String? = nil, actor: Principal, expectedVersion: Int64? = nil)
        throws(DomainError) -> DomainCommand
    {
        let id = try FieldRules.uuid(id, field: "id")
        let body = CaseReopened(
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
        case .open(let body):
            try context.authorize(org: body.leadOrg, field: "lead_org")
            if let opened {
                guard opened == body else { throw .conflict("case", "\(id) already exists") }
                return []
            }
            try context.requireActiveOrganization(body.leadOrg, field: "lead_org", work: "cases")
            try context.requireThemes(body.themes)
            return [.opened(body)]
        case .note(let body):
            guard try current(context).status == .open else {
                throw .invalid("status", "a closed case takes no notes; reopen it first")
            }
            return [.noteAdded(body)]
        case .reassign(let body):
            let (leadOrg, status) = try current(context)
            guard status == .open else {
                throw .invalid("status", "a closed case cannot be reassigned; reopen it first")
            }
            guard body.leadOrg != leadOrg else { throw .invalid("lead_org", "\(leadOrg) already leads the case") }
            try context.requireActiveOrganization(body.leadOrg, field: "lead_org", work: "cases")
            return [.reassigned(body)]
        case .close(let body):
            guard try current(context).status == .open else { throw .invalid("status", "the case is already closed") }
            return [.closed(body)]
        case .reopen(let body):
            guard try current(context).status == .closed else {
                throw .invalid("status", "an open case cannot be reopened")
            }
            return [.reopened(body)]
        }
    }

    /// The lead and status of an existing case the actor may act on.
    private func current(_ context: DecisionContext) throws(DomainError) -> (leadOrg: String, status: Status) {
        guard let leadOrg, let status else { throw .notFound("case", "\(id) does not exist") }
        try context.authorize(org: leadOrg, field: "lead_org")
        return (leadOrg, status)
    }
}
