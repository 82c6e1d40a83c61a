/// A domain write command parsed from protocol arguments, e.g. noun `COMMITMENT`, verb `PROGRESS`,
/// arguments `["<uuid>", "LEVEL", "substantial", "NOTE", "met with residents"]`.
///
/// Parsing checks every field's form; `decide` checks the rules that need state: the target stream's
/// history, the related streams' histories (passed in by the caller; the domain loads nothing) and today.
public struct DomainCommand: Sendable {
    /// The target stream, e.g. `commitment-<uuid>` or `org-cbo-one`.
    public let stream: String
    /// The entity id: a UUID, an organization slug, or a theme slug.
    public let id: String
    /// From an optional `EXPECT n` pair; nil: the caller reloads and decides again on a concurrent change.
    public let expectedVersion: Int64?
    /// Other streams whose histories `decide` needs, e.g. `org-cpd`, `case-<uuid>`, `theme-vocabulary`.
    public let related: [String]
    /// Who runs the command; it supplies a coordinator's organization where the command leaves it out.
    public let actor: Principal
    let action: Action

    enum Action: Sendable {
        case organization(OrganizationCommand.Action)
        case `case`(CaseCommand.Action)
        case activity(ActivityCommand.Action)
        case commitment(CommitmentCommand.Action)
        case followUp(FollowUpCommand.Action)
        case theme(ThemeCommand)
    }

    init(stream: String, id: String, expectedVersion: Int64?, related: [String], actor: Principal, action: Action) {
        self.stream = stream
        self.id = id
        self.expectedVersion = expectedVersion
        self.related = related
        self.actor = actor
        self.action = action
    }

    /// Parses a command for `actor`; `newID` supplies a fresh UUID for a creating command given no `ID` field.
    public static func parse(
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

    /// Decides from the target stream's history (empty: the stream does not exist) and the related histories.
    ///
    /// Returns the events to append (none when a creating command with a client-chosen `ID` was already
    /// applied) or throws the rule the command breaks; a refused command appends nothing.
    public func decide(history: [EventPayload], related: [String: [EventPayload]], today: ISODate) throws(DomainError)
        -> [EventPayload]
    {
        let context = DecisionContext(actor: actor, related: related, today: today)
        switch action {
        case .organization(let command):
            return try OrganizationState(id: id, history: history).decide(command, context: context).map(\.payload)
        case .case(let command):
            return try CaseState(id: id, history: history).decide(command, context: context).map(\.payload)
        case .activity(let command):
            return try ActivityState(id: id, history: history).decide(command, context: context).map(\.payload)
        case .commitment(let command):
            return try CommitmentState(id: id, history: history).decide(command, context: context).map(\.payload)
        case .followUp(let command):
            return try FollowUpState(id: id, history: history).decide(command, context: context).map(\.payload)
        case .theme(let command):
            return try command.decide(history: history, context: context).map(\.payload)
        }
    }

    /// An organization slug; when not given, a coordinator's own organization.
    static func organization(_ given: String?, field: String, actor: Principal) throws(DomainError) -> String {
        if let given { return try FieldRules.slug(given, field: field) }
        guard actor.role == .coordinator, let own = actor.organization else { throw .invalid(field, "is required") }
        return own
    }

    /// `values` without repeats, in their first order.
    static func unique<Value: Equatable>(_ values: [Value]) -> [Value] {
        var kept: [Value] = []
        for value in values where !kept.contains(value) { kept.append(value) }
        return kept
    }

    /// The refusal of a verb the noun does not take.
    static func unknownVerb(_ noun: String, _ verb: String) -> DomainError {
        let verbs = catalog.filter { $0.noun == noun }.map(\.verb).joined(separator: ", ")
        return .invalid("command", "\(noun) \(verb) is not a command; \(noun) takes \(verbs)")
    }
}
