/// The activity commands (`ACTIVITY LOG|CORRECT|RETRACT` on the wire), each built for an
/// `activity-<uuid>` stream by `actor`, with the stream version it expects if any.
public enum ActivityCommand {
    enum Action: Sendable {
        /// The activity as logged on a given day (`occurred_on` defaults to it).
        case log(@Sendable (_ today: ISODate) -> ActivityLogged)
        /// The values given, reduced to the changed ones when decided.
        case correct(ActivityCorrected)
        case retract(ActivityRetracted)
    }

    /// The fields an activity has, besides its organization.
    public static let valueFields = [
        "kind", "occurred_on", "community_area", "police_district", "attendance", "languages", "themes", "summary",
        "case_id",
    ]

    /// Logs an engagement activity of `org` (a coordinator's own when nil) that occurred on `occurredOn`
    /// (today when nil); `languages` are codes or names, `themes` names or slugs.
    public static func log(
        id: String,
        org: String? = nil,
        kind: ActivityKind,
        attendance: Int,
        occurredOn: ISODate? = nil,
        communityArea: CommunityArea? = nil,
        policeDistrict: PoliceDistrict? = nil,
        languages: [String] = [],
        themes: [String] = [],
        summary: String? = nil,
        caseID: String? = nil,
        actor: Principal,
        expectedVersion: Int64? = nil
    ) throws(DomainError) -> DomainCommand {
        let id = try FieldRules.uuid(id, field: "id")
        let org = try DomainCommand.organization(org, field: "org", actor: actor)
        let attendance = try FieldRules.attendance(attendance)
        let languages = try FieldRules.languages(languages)
        let themes = try ThemeVocabulary.slugs(themes)
        let summary = try FieldRules.optionalText(summary, field: "summary", limit: FieldRules.textLimit)
        let caseID = try FieldRules.optionalUUID(caseID, field: "case_id")
        let action = Action.log { today in
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
        let related = ["org-\(org)"] + references(themes: themes, caseID: caseID)
        return command(id: id, action, related: related, actor: actor, expectedVersion: expectedVersion)
    }

    /// Corrects an activity, with the reason; only the values given (at least one) are corrected, and of
    /// those only the ones that change are recorded.
    public static func correct(
        id: String,
        kind: ActivityKind? = nil,
        attendance: Int? = nil,
        occurredOn: ISODate? = nil,
        communityArea: CommunityArea? = nil,
        policeDistrict: PoliceDistrict? = nil,
        languages: [String]? = nil,
        themes: [String]? = nil,
        summary: String? = nil,
        caseID: String? = nil,
        reason: String,
        actor: Principal,
        expectedVersion: Int64? = nil
    ) throws(DomainError) -> DomainCommand {
        let id = try FieldRules.uuid(id, field: "id")
        let correction = ActivityCorrected(
            kind: kind,
            occurredOn: occurredOn,
            communityArea: communityArea,
            policeDistrict: policeDistrict,
            attendance: try attendance.map { count throws(DomainError) in try FieldRules.attendance(count) },
            languages: try languages.map { items throws(DomainError) in try FieldRules.languages(items) },
            themes: try themes.map { names throws(DomainError) in try ThemeVocabulary.slugs(names) },
            summary: try FieldRules.optionalText(summary, field: "summary", limit: FieldRules.textLimit),
            caseID: try FieldRules.optionalUUID(caseID, field: "case_id"),
            reason: try FieldRules.text(reason, field: "reason", limit: FieldRules.reasonLimit)
        )
        guard !correction.isEmpty else {
            throw .invalid("fields", "a correction gives at least one of \(valueFields.joined(separator: ", "))")
        }
        let related = references(themes: correction.themes ?? [], caseID: correction.caseID)
        return command(id: id, .correct(correction), related: related, actor: actor, expectedVersion: expectedVersion)
    }

    /// Retracts an activity, with the reason; its history stays.
    public static func retract(id: String, reason: String, actor: Principal, expectedVersion: Int64? = nil)
        throws(DomainError) -> DomainCommand
    {
        let id = try FieldRules.uuid(id, field: "id")
        let body = ActivityRetracted(
            reason: try FieldRules.text(reason, field: "reason", limit: FieldRules.reasonLimit)
        )
        return command(id: id, .retract(body), actor: actor, expectedVersion: expectedVersion)
    }

    private static func references(themes: [String], caseID: String?) -> [String] {
        (themes.isEmpty ? [] : [ThemeVocabulary.stream]) + (caseID.map { ["case-\($0)"] } ?? [])
    }

    private static func command(
        id: String,
        _ action: Action,
        related: [String] = [],
        actor: Principal,
        expectedVersion: Int64?
    ) -> DomainCommand {
        DomainCommand(
            stream: "activity-\(id)",
            id: id,
            expectedVersion: expectedVersion,
            related: related,
            actor: actor,
            action: .activity(action)
        )
    }
}

extension ActivityState {
    func decide(_ command: ActivityCommand.Action, context: DecisionContext) throws(DomainError) -> [ActivityEvent] {
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
