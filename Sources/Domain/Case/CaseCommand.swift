/// `CASE OPEN|NOTE|REASSIGN|CLOSE|REOPEN`.
enum CaseCommand: Sendable {
    case open(CaseOpened)
    case note(CaseNoteAdded)
    case reassign(CaseReassigned)
    case close(CaseClosed)
    case reopen(CaseReopened)

    static func parse(verb: String, arguments: [String], actor: Principal, newID: () -> String) throws(DomainError)
        -> DomainCommand
    {
        let id: String
        let fields: CommandFields
        let command: CaseCommand
        var related: [String] = []
        if verb == "OPEN" {
            fields = try CommandFields(
                arguments[...],
                allowed: ["id", "title", "lead_org", "community_areas", "themes", "summary"]
            )
            id = try fields.newID(newID)
            let opened = CaseOpened(
                title: try fields.requiredText("title", limit: FieldRules.titleLimit),
                leadOrg: try fields.organization("lead_org", actor: actor),
                communityAreas: try fields.communityAreas() ?? [],
                themes: try fields.themes() ?? [],
                summary: try fields.text("summary", limit: FieldRules.textLimit)
            )
            command = .open(opened)
            related = ["org-\(opened.leadOrg)"] + (opened.themes.isEmpty ? [] : [ThemeVocabulary.stream])
        } else {
            let (given, rest) = try CommandFields.positional(arguments, field: "id")
            id = try FieldRules.uuid(given, field: "id")
            switch verb {
            case "NOTE":
                fields = try CommandFields(rest, allowed: ["note"])
                command = .note(CaseNoteAdded(note: try fields.requiredText("note", limit: FieldRules.textLimit)))
            case "REASSIGN":
                fields = try CommandFields(rest, allowed: ["lead_org", "reason"])
                let leadOrg = try FieldRules.slug(try fields.required("lead_org"), field: "lead_org")
                command = .reassign(
                    CaseReassigned(leadOrg: leadOrg, reason: try fields.text("reason", limit: FieldRules.reasonLimit))
                )
                related = ["org-\(leadOrg)"]
            case "CLOSE":
                fields = try CommandFields(rest, allowed: ["resolution"])
                command = .close(
                    CaseClosed(resolution: try fields.requiredText("resolution", limit: FieldRules.textLimit))
                )
            case "REOPEN":
                fields = try CommandFields(rest, allowed: ["reason"])
                command = .reopen(CaseReopened(reason: try fields.text("reason", limit: FieldRules.reasonLimit)))
            default: throw DomainCommand.unknownVerb("CASE", verb)
            }
        }
        return DomainCommand(
            stream: "case-\(id)",
            id: id,
            expectedVersion: fields.expectedVersion,
            related: related,
            actor: actor,
            action: .case(command)
        )
    }
}

extension CaseState {
    func decide(_ command: CaseCommand, context: DecisionContext) throws(DomainError) -> [CaseEvent] {
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
