/// What a decision reads besides the target stream: who acts, the related streams' histories, and today.
struct DecisionContext {
    let actor: Principal
    let related: [String: [EventPayload]]
    let today: ISODate

    func requireAdmin(_ rule: String) throws(DomainError) {
        guard actor.role == .admin else { throw .noPermission("role", rule) }
    }

    /// Admins act for any organization, coordinators for their own; leadership and auditors change nothing.
    func authorize(org: String, field: String) throws(DomainError) {
        switch actor.role {
        case .admin: return
        case .coordinator:
            guard actor.organization == org else {
                throw .noPermission(
                    field,
                    "a coordinator acts only for their own organization (\(actor.organization ?? "none"))"
                )
            }
        case .leadership, .auditor:
            throw .noPermission(
                "role",
                "\(actor.role.rawValue) users read; only admins and coordinators record changes"
            )
        }
    }

    /// An organization about to take new work (`work`: "cases", "commitments", …) must exist and not be retired.
    func requireActiveOrganization(_ slug: String, field: String, work: String) throws(DomainError) {
        let stream = "org-\(slug)"
        let folds = FoldedStates<OrganizationState>.shared
        let organization = try folds.state(of: stream, history: related[stream] ?? []) { history throws(DomainError) in
            try OrganizationState(id: slug, history: history)
        }
        guard organization.exists else { throw .notFound(field, "organization \(slug) does not exist") }
        guard !organization.isRetired else {
            throw .invalid(field, "organization \(slug) is retired and takes no new \(work)")
        }
    }

    /// A referenced entity (`case-<uuid>`, `activity-<uuid>`, …) must exist.
    func requireExisting(_ stream: String, field: String) throws(DomainError) {
        guard !(related[stream] ?? []).isEmpty else { throw .notFound(field, "\(stream) does not exist") }
    }

    /// Every theme must be in the vocabulary folded from the `theme-vocabulary` history.
    func requireThemes(_ themes: [String], field: String = "themes") throws(DomainError) {
        guard !themes.isEmpty else { return }
        let history = related[ThemeVocabulary.stream] ?? []
        let folds = FoldedStates<ThemeVocabulary>.shared
        let vocabulary = try folds.state(
            of: ThemeVocabulary.stream,
            history: history,
            fold: ThemeVocabulary.init(history:)
        )
        try vocabulary.validate(themes, field: field)
    }

    func requireNotFuture(_ date: ISODate, field: String) throws(DomainError) {
        guard date <= today else { throw .invalid(field, "must not be in the future (today is \(today))") }
    }

    /// The day an event records: not after today, and not before `start`, the day its entity began
    /// (`startField`, e.g. `made_on`).
    func requireDay(_ day: ISODate, field: String, notBefore start: ISODate?, startField: String)
        throws(DomainError)
    {
        try requireNotFuture(day, field: field)
        if let start, day < start { throw .invalid(field, "must not be before \(startField) (\(start))") }
    }
}
