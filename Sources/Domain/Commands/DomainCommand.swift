/// A domain write command, built by the typed constructors of each entity's commands, e.g.
/// `CommitmentCommand.progress(id:level:note:actor:expectedVersion:)`.
///
/// Building checks every value's form; `decide` checks the rules that need state: the target stream's
/// history, the related streams' histories (passed in by the caller; the domain loads nothing) and today.
public struct DomainCommand: Sendable {
    /// The target stream, e.g. `commitment-<uuid>` or `org-cbo-one`.
    public let stream: String
    /// The entity id: a UUID, an organization slug, or a theme slug.
    public let id: String
    /// The stream version the command expects (`-1`: the stream must not exist); nil: the caller reloads
    /// and decides again on a concurrent change.
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

    /// Whether the command starts a new entity (log, open, make, schedule, register): its stream
    /// is normally new, so a writer may take it to be empty until an append says otherwise.
    public var createsStream: Bool {
        switch action {
        case .activity(.log), .case(.open), .commitment(.make), .followUp(.schedule), .organization(.register):
            true
        default:
            false
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
}
