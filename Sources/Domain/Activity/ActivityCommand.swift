/// `ACTIVITY LOG|CORRECT|RETRACT`.
enum ActivityCommand: Sendable {
    /// The activity as logged on a given day (`occurred_on` defaults to it).
    case log(@Sendable (_ today: ISODate) -> ActivityLogged)
    /// The values given, reduced to the changed ones when decided.
    case correct(ActivityCorrected)
    case retract(ActivityRetracted)

    /// The fields an activity has, besides its organization.
    static let valueFields = [
        "kind", "occurred_on", "community_area", "police_district", "attendance", "languages", "themes", "summary",
        "case_id",
    ]

    static func parse(verb: String, arguments: [String], actor: Principal, newID: () -> String) throws(DomainError)
        -> DomainCommand
    {
        let id: String
        let fields: CommandFields
        let command: ActivityCommand
        var related: [String] = []
        if verb == "LOG" {
            fields = try CommandFields(arguments[...], allowed: ["id", "org"] + valueFields)
            id = try fields.newID(newID)
            let org = try fields.organization("org", actor: actor)
            let kind = try ActivityKind(parsing: try fields.required("kind"))
            let occurredOn = try fields.date("occurred_on")
            let communityArea = try fields.communityArea()
            let policeDistrict = try fields.policeDistrict()
            let attendance = try FieldRules.attendance(try fields.required("attendance"))
            let languages = try fields.languages() ?? []
            let themes = try fields.themes() ?? []
            let summary = try fields.text("summary", limit: FieldRules.textLimit)
            let caseID = try fields.uuid("case_id")
            command = .log { today in
                ActivityLogged(
                    org: org,
                    kind: kind,
                    occurredOn: occurredOn ?? today,
                    communityArea: communityArea,
                    policeDistrict: policeDistrict,
                    attendance: attendance,
                    languages: languages,
                    themes: themes,
                    summary: summary,
                    caseID: caseID
                )
            }
            related = ["org-\(org)"] + references(themes: themes, caseID: caseID)
        } else {
            let (given, rest) = try CommandFields.positional(arguments, field: "id")
            id = try FieldRules.uuid(given, field: "id")
            switch verb {
            case "CORRECT":
                fields = try CommandFields(rest, allowed: valueFields + ["reason"])
                let correction = ActivityCorrected(
                    kind: try fields.value("kind").map { value throws(DomainError) in try ActivityKind(parsing: value)
                    },
                    occurredOn: try fields.date("occurred_on"),
                    communityArea: try fields.communityArea(),
                    policeDistrict: try fields.policeDistrict(),
                    attendance: try fields.attendance(),
                    languages: try fields.languages(),
                    themes: try fields.themes(),
                    summary: try fields.text("summary", limit: FieldRules.textLimit),
                    caseID: try fields.uuid("case_id"),
                    reason: try fields.requiredText("reason", limit: FieldRules.reasonLimit)
                )
                guard !correction.isEmpty else {
                    throw .invalid(
                        "fields",
                        "a correction gives at least one of \(valueFields.joined(separator: ", "))"
                    )
                }
                command = .correct(correction)
                related = references(themes: correction.themes ?? [], caseID: correction.caseID)
            case "RETRACT":
                fields = try CommandFields(rest, allowed: ["reason"])
                command = .retract(
                    ActivityRetracted(reason: try fields.requiredText("reason", limit: FieldRules.reasonLimit))
                )
            default: throw DomainCommand.unknownVerb("ACTIVITY", verb)
            }
        }
        return DomainCommand(
            stream: "activity-\(id)",
            id: id,
            expectedVersion: fields.expectedVersion,
            related: related,
            actor: actor,
            action: .activity(command)
        )
    }

    private static func references(themes: [String], caseID: String?) -> [String] {
        (themes.isEmpty ? [] : [ThemeVocabulary.stream]) + (caseID.map { ["case-\($0)"] } ?? [])
    }
}

extension ActivityState {
    func decide(_ command: ActivityCommand, context: DecisionContext) throws(DomainError) -> [ActivityEvent] {
        switch command {
        case .log(let draft):
            let body = draft(context.today)
            try context.authorize(org: body.org, field: "org")
            if let logged {
                guard logged == body else { throw .conflict("activity", "\(id) already exists") }
                return []
            }
            try context.requireActiveOrganization(body.org, field: "org", work: "activities")
            try check(body.occurredOn, body.themes, body.caseID, context: context)
            return [.logged(body)]
        case .correct(let given):
            let current = try requireRecorded(context, doing: "corrected")
            let correction = given.changes(to: current)
            guard !correction.isEmpty else {
                throw .invalid("fields", "the correction changes nothing; every value given is already the activity's")
            }
            try check(correction.occurredOn, correction.themes ?? [], correction.caseID, context: context)
            return [.corrected(correction)]
        case .retract(let body):
            _ = try requireRecorded(context, doing: "retracted")
            return [.retracted(body)]
        }
    }

    /// The current values of an existing, unretracted activity the actor may act on.
    private func requireRecorded(_ context: DecisionContext, doing verb: String) throws(DomainError) -> ActivityLogged {
        guard let current else { throw .notFound("activity", "\(id) does not exist") }
        try context.authorize(org: current.org, field: "org")
        guard retraction == nil else {
            throw .invalid(
                "status",
                verb == "retracted" ? "the activity is already retracted" : "a retracted activity cannot be \(verb)"
            )
        }
        return current
    }

    private func check(_ occurredOn: ISODate?, _ themes: [String], _ caseID: String?, context: DecisionContext)
        throws(DomainError)
    {
        if let occurredOn { try context.requireNotFuture(occurredOn, field: "occurred_on") }
        try context.requireThemes(themes)
        if let caseID { try context.requireExisting("case-\(caseID)", field: "case_id") }
    }
}
