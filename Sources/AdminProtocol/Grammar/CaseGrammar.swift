import Domain

/// `CASE OPEN FIELD value …` and `CASE NOTE|REASSIGN|CLOSE|REOPEN id FIELD value …` as typed case commands.
enum CaseGrammar {
    static func parse(verb: String, arguments: [String], actor: Principal, newID: () -> String) throws(DomainError)
        -> DomainCommand
    {
        if verb == "OPEN" {
            let fields = try CommandFields(
                arguments[...],
                allowed: ["id", "title", "lead_org", "community_areas", "themes", "summary", "opened_on"]
            )
            return try CaseCommand.open(
                id: fields.newID(newID),
                title: try fields.required("title"),
                leadOrg: fields.value("lead_org"),
                communityAreas: try fields.communityAreas() ?? [],
                themes: fields.list("themes") ?? [],
                summary: fields.value("summary"),
                openedOn: try fields.date("opened_on"),
                actor: actor,
                expectedVersion: fields.expectedVersion
            )
        }
        let (id, rest) = try CommandFields.positional(arguments, field: "id")
        switch verb {
        case "NOTE":
            let fields = try CommandFields(rest, allowed: ["note", "noted_on"])
            return try CaseCommand.note(
                id: id,
                note: try fields.required("note"),
                notedOn: try fields.date("noted_on"),
                actor: actor,
                expectedVersion: fields.expectedVersion
            )
        case "REASSIGN":
            let fields = try CommandFields(rest, allowed: ["lead_org", "reason", "reassigned_on"])
            return try CaseCommand.reassign(
                id: id,
                leadOrg: try fields.required("lead_org"),
                reason: fields.value("reason"),
                reassignedOn: try fields.date("reassigned_on"),
                actor: actor,
                expectedVersion: fields.expectedVersion
            )
        case "CLOSE":
            let fields = try CommandFields(rest, allowed: ["resolution", "closed_on"])
            return try CaseCommand.close(
                id: id,
                resolution: try fields.required("resolution"),
                closedOn: try fields.date("closed_on"),
                actor: actor,
                expectedVersion: fields.expectedVersion
            )
        case "REOPEN":
            let fields = try CommandFields(rest, allowed: ["reason", "reopened_on"])
            return try CaseCommand.reopen(
                id: id,
                reason: fields.value("reason"),
                reopenedOn: try fields.date("reopened_on"),
                actor: actor,
                expectedVersion: fields.expectedVersion
            )
        default: throw DomainGrammar.unknownVerb("CASE", verb)
        }
    }
}
