import Domain

/// The wire grammar of the domain's write commands: `NOUN VERB [id] FIELD value … [EXPECT n]` read into
/// the domain's typed commands, e.g. noun `COMMITMENT`, verb `PROGRESS`, arguments
/// `["<uuid>", "LEVEL", "substantial", "NOTE", "met with residents"]` into `CommitmentCommand.progress(…)`.
///
/// The grammar reads the words: which fields a command takes, their names and aliases, the positional
/// id, `EXPECT`, verb aliases, and values that are not text (dates, levels, kinds, counts, areas). The
/// domain's constructors check each value's form; `decide` checks the rules that need state.
enum DomainGrammar {
    /// Parses a command for `actor`; `newID` supplies a fresh UUID for a creating command given no `ID` field.
    static func parse(
        noun: String,
        verb: String,
        arguments: [String],
        actor: Principal,
        newID: () -> String
    ) throws(DomainError) -> DomainCommand {
        let noun = noun.uppercased()
        let verb = verb.uppercased() == "FULFILL" ? "FULFIL" : verb.uppercased()
        guard catalog.contains(where: { $0.noun == noun }) else {
            throw .invalid("command", "\(noun) is not a domain command")
        }
        guard catalog.contains(where: { $0.noun == noun && $0.verb == verb }) else { throw unknownVerb(noun, verb) }
        switch noun {
        case "ORG": return try OrganizationGrammar.parse(verb: verb, arguments: arguments, actor: actor)
        case "CASE": return try CaseGrammar.parse(verb: verb, arguments: arguments, actor: actor, newID: newID)
        case "ACTIVITY": return try ActivityGrammar.parse(verb: verb, arguments: arguments, actor: actor, newID: newID)
        case "COMMITMENT":
            return try CommitmentGrammar.parse(verb: verb, arguments: arguments, actor: actor, newID: newID)
        case "FOLLOWUP": return try FollowUpGrammar.parse(verb: verb, arguments: arguments, actor: actor, newID: newID)
        case "THEME": return try ThemeGrammar.parse(verb: verb, arguments: arguments, actor: actor)
        default: throw unknownVerb(noun, verb)
        }
    }

    /// The refusal of a verb the noun does not take.
    static func unknownVerb(_ noun: String, _ verb: String) -> DomainError {
        let verbs = catalog.filter { $0.noun == noun }.map(\.verb).joined(separator: ", ")
        return .invalid("command", "\(noun) \(verb) is not a command; \(noun) takes \(verbs)")
    }
}
