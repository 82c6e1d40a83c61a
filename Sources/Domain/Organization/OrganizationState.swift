/// An organization folded from its `org-<slug>` stream.
public struct OrganizationState: Sendable, Hashable {
    public let id: String
    public private(set) var name: String?
    public private(set) var kind: OrganizationKind?
    public private(set) var isRetired = false
    public private(set) var retirementReason: String?

    /// Folds `history` (in stream order); an empty history is an organization that does not exist.
    public init(id: String, history: [EventPayload]) throws(DomainError) {
        self.id = id
        for payload in history { apply(try OrganizationEvent(payload)) }
    }

    /// Whether the stream holds the entity (its first event was read).
    public var exists: Bool { name != nil }

    /// Applies the next event of the stream.
    public mutating func apply(_ event: OrganizationEvent) {
        switch event {
        case .registered(let body):
            name = body.name
            kind = body.kind
        case .renamed(let body): name = body.name
        case .retired(let body):
            isRetired = true
            retirementReason = body.reason
        }
    }

    /// Status and fields, as `ORG GET` and `ORG LIST` show them.
    public var snapshot: EntitySnapshot {
        EntitySnapshot([
            ("id", .text(id)),
            ("status", .text(isRetired ? "retired" : "active")),
            ("name", SnapshotValue(name)),
            ("kind", SnapshotValue(kind?.rawValue)),
            ("retirement_reason", SnapshotValue(retirementReason)),
        ])
    }
}
