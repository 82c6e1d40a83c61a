import Domain

/// `FOLLOWUP SCHEDULE FIELD value …` and `FOLLOWUP BLOCK|COMPLETE|CANCEL id FIELD value …` as typed
/// follow-up commands.
enum FollowUpGrammar {
    static func parse(verb: String, arguments: [String], actor: Principal, newID: () -> String) throws(DomainError)
        -> DomainCommand
    {
        if verb == "SCHEDULE" {
            let fields = try CommandFields(
                arguments[...],
                allowed: ["id", "about", "assignee_org", "due_on", "note", "scheduled_on"]
            )
            return try FollowUpCommand.schedule(
                id: fields.newID(newID),
                about: try fields.required("about"),
                assigneeOrg: fields.value("assignee_org"),
                dueOn: try fields.requiredDate("due_on"),
                note: fields.value("note"),
                scheduledOn: try fields.date("scheduled_on"),
                actor: actor,
                expectedVersion: fields.expectedVersion
            )
        }
        let (id, rest) = try CommandFields.positional(arguments, field: "id")
        switch verb {
        case "BLOCK":
            let fields = try CommandFields(rest, allowed: ["reason", "blocked_on"])
            return try FollowUpCommand.block(
                id: id,
                reason: try fields.required("reason"),
                blockedOn: try fields.date("blocked_on"),
                actor: actor,
                expectedVersion: fields.expectedVersion
            )
        case "COMPLETE":
            let fields = try CommandFields(rest, allowed: ["outcome", "completed_on"])
            return try FollowUpCommand.complete(
                id: id,
                outcome: try fields.required("outcome"),
                completedOn: try fields.date("completed_on"),
                actor: actor,
                expectedVersion: fields.expectedVersion
            )
        case "CANCEL":
            let fields = try CommandFields(rest, allowed: ["reason", "cancelled_on"])
            return try FollowUpCommand.cancel(
                id: id,
                reason: fields.value("reason"),
                cancelledOn: try fields.date("cancelled_on"),
                actor: actor,
                expectedVersion: fields.expectedVersion
            )
        default: throw DomainGrammar.unknownVerb("FOLLOWUP", verb)
        }
    }
}
