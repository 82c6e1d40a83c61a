import Domain

/// `ACTIVITY LOG FIELD value …` and `ACTIVITY CORRECT|RETRACT id FIELD value …` as typed activity commands.
enum ActivityGrammar {
    static func parse(verb: String, arguments: [String], actor: Principal, newID: () -> String) throws(DomainError)
        -> DomainCommand
    {
        if verb == "LOG" {
            let fields = try CommandFields(arguments[...], allowed: ["id", "org"] + ActivityCommand.valueFields)
            return try ActivityCommand.log(
                id: fields.newID(newID),
                org: fields.value("org"),
                kind: try ActivityKind(parsing: try fields.required("kind")),
                attendance: try FieldRules.attendance(try fields.required("attendance")),
                occurredOn: try fields.date("occurred_on"),
                communityArea: try fields.communityArea(),
                policeDistrict: try fields.policeDistrict(),
                languages: fields.list("languages") ?? [],
                themes: fields.list("themes") ?? [],
                summary: fields.value("summary"),
                caseID: fields.value("case_id"),
                actor: actor,
                expectedVersion: fields.expectedVersion
            )
        }
        let (id, rest) = try CommandFields.positional(arguments, field: "id")
        switch verb {
        case "CORRECT":
            let fields = try CommandFields(rest, allowed: ActivityCommand.valueFields + ["reason"])
            return try ActivityCommand.correct(
                id: id,
                kind: try fields.value("kind").map { value throws(DomainError) in try ActivityKind(parsing: value) },
                attendance: try fields.attendance(),
                occurredOn: try fields.date("occurred_on"),
                communityArea: try fields.communityArea(),
                policeDistrict: try fields.policeDistrict(),
                languages: fields.list("languages"),
                themes: fields.list("themes"),
                summary: fields.value("summary"),
                caseID: fields.value("case_id"),
                reason: try fields.required("reason"),
                actor: actor,
                expectedVersion: fields.expectedVersion
            )
        case "RETRACT":
            let fields = try CommandFields(rest, allowed: ["reason"])
            return try ActivityCommand.retract(
                id: id,
                reason: try fields.required("reason"),
                actor: actor,
                expectedVersion: fields.expectedVersion
            )
        default: throw DomainGrammar.unknownVerb("ACTIVITY", verb)
        }
    }
}
