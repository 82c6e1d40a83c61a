import Domain

/// `COMMITMENT MAKE FIELD value …` and `COMMITMENT PROGRESS|REDATE|FULFIL|CANCEL|REOPEN id FIELD value …`
/// as typed commitment commands.
enum CommitmentGrammar {
    static func parse(verb: String, arguments: [String], actor: Principal, newID: () -> String) throws(DomainError)
        -> DomainCommand
    {
        if verb == "MAKE" {
            let fields = try CommandFields(
                arguments[...],
                allowed: ["id", "owner_org", "text", "made_to", "made_on", "due_on", "case_id", "source"]
            )
            return try CommitmentCommand.make(
                id: fields.newID(newID),
                ownerOrg: fields.value("owner_org"),
                text: try fields.required("text"),
                madeTo: try fields.required("made_to"),
                dueOn: try fields.requiredDate("due_on"),
                madeOn: try fields.date("made_on"),
                caseID: fields.value("case_id"),
                source: fields.value("source"),
                actor: actor,
                expectedVersion: fields.expectedVersion
            )
        }
        let (id, rest) = try CommandFields.positional(arguments, field: "id")
        switch verb {
        case "PROGRESS":
            let fields = try CommandFields(rest, allowed: ["level", "note", "reported_on"])
            return try CommitmentCommand.progress(
                id: id,
                level: try CompletionLevel(parsing: try fields.required("level")),
                note: fields.value("note"),
                reportedOn: try fields.date("reported_on"),
                actor: actor,
                expectedVersion: fields.expectedVersion
            )
        case "REDATE":
            let fields = try CommandFields(rest, allowed: ["due_on", "reason", "redated_on"])
            return try CommitmentCommand.redate(
                id: id,
                dueOn: try fields.requiredDate("due_on"),
                reason: try fields.required("reason"),
                redatedOn: try fields.date("redated_on"),
                actor: actor,
                expectedVersion: fields.expectedVersion
            )
        case "FULFIL":
            let fields = try CommandFields(rest, allowed: ["evidence", "fulfilled_on"])
            return try CommitmentCommand.fulfil(
                id: id,
                evidence: try fields.required("evidence"),
                fulfilledOn: try fields.date("fulfilled_on"),
                actor: actor,
                expectedVersion: fields.expectedVersion
            )
        case "CANCEL":
            let fields = try CommandFields(rest, allowed: ["reason", "cancelled_on"])
            return try CommitmentCommand.cancel(
                id: id,
                reason: try fields.required("reason"),
                cancelledOn: try fields.date("cancelled_on"),
                actor: actor,
                expectedVersion: fields.expectedVersion
            )
        case "REOPEN":
            let fields = try CommandFields(rest, allowed: ["reason", "reopened_on"])
            return try CommitmentCommand.reopen(
                id: id,
                reason: fields.value("reason"),
                reopenedOn: try fields.date("reopened_on"),
                actor: actor,
                expectedVersion: fields.expectedVersion
            )
        default: throw DomainGrammar.unknownVerb("COMMITMENT", verb)
        }
    }
}
