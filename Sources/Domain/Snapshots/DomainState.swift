/// Reading entities back: the snapshot of one entity folded from its stream, for `… GET` and `… LIST`.
public enum DomainState {
    /// The entity kinds and their stream prefixes: `org` (or `organization`), `case`, `activity`, `commitment`, `followup`.
    public static let kinds = ["org", "case", "activity", "commitment", "followup"]

    /// The stream of an entity, e.g. `commitment-<uuid>`; nil for an unknown kind.
    public static func stream(kind: String, id: String) -> String? {
        let kind = canonical(kind)
        return kinds.contains(kind) ? "\(kind)-\(id)" : nil
    }

    /// The current state of one entity folded from its stream; `NOTFOUND` if the history is empty.
    public static func snapshot(kind: String, id: String, history: [EventPayload]) throws(DomainError)
        -> EntitySnapshot
    {
        let kind = canonical(kind)
        guard kinds.contains(kind) else {
            throw .invalid("kind", "must be one of \(kinds.joined(separator: ", "))")
        }
        guard !history.isEmpty else { throw .notFound(kind, "\(id) does not exist") }
        switch kind {
        case "org": return try OrganizationState(id: id, history: history).snapshot
        case "case": return try CaseState(id: id, history: history).snapshot
        case "activity": return try ActivityState(id: id, history: history).snapshot
        case "commitment": return try CommitmentState(id: id, history: history).snapshot
        default: return try FollowUpState(id: id, history: history).snapshot
        }
    }

    private static func canonical(_ kind: String) -> String {
        switch kind.lowercased() {
        case "organization": "org"
        case "follow-up", "follow_up": "followup"
        case let kind: kind
        }
    }
}
