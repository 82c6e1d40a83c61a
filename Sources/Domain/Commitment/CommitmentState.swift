/// A commitment folded from its `commitment-<uuid>` stream.
public struct CommitmentState: Sendable, Hashable {
    /// open → fulfilled | cancelled → (reopened) open → …
    public enum Status: String, Sendable, Hashable {
        case open
        case fulfilled
        case cancelled
    }

    public let id: String
    /// The event that made the commitment; nil when it does not exist.
    public private(set) var made: CommitmentMade?
    public private(set) var status: Status?
    public private(set) var dueOn: ISODate?
    /// The level of the latest progress report; nil before any.
    public private(set) var level: CompletionLevel?
    public private(set) var lastNote: String?
    public private(set) var evidence: String?
    public private(set) var fulfilledOn: ISODate?
    public private(set) var cancellation: String?

    /// Folds `history` (in stream order); an empty history is a commitment that does not exist.
    public init(id: String, history: [EventPayload]) throws(DomainError) {
        self.id = id
        for payload in history { apply(try CommitmentEvent(payload)) }
    }

    /// Whether the stream holds the entity (its first event was read).
    public var exists: Bool { made != nil }

    /// Applies the next event of the stream.
    public mutating func apply(_ event: CommitmentEvent) {
        switch event {
        case .made(let body):
            made = body
            status = .open
            dueOn = body.dueOn
        case .progressed(let body):
            level = body.level
            lastNote = body.note
        case .dueDateChanged(let body): dueOn = body.dueOn
        case .fulfilled(let body):
            status = .fulfilled
            evidence = body.evidence
            fulfilledOn = body.fulfilledOn
        case .cancelled(let body):
            status = .cancelled
            cancellation = body.reason
        case .reopened:
            status = .open
            evidence = nil
            fulfilledOn = nil
            cancellation = nil
        }
    }

    /// Status and current fields, as `COMMITMENT GET` shows them.
    public var snapshot: EntitySnapshot {
        EntitySnapshot([
            ("id", .text(id)),
            ("status", SnapshotValue(status?.rawValue)),
            ("owner_org", SnapshotValue(made?.ownerOrg)),
            ("text", SnapshotValue(made?.text)),
            ("made_to", SnapshotValue(made?.madeTo)),
            ("made_on", SnapshotValue(made?.madeOn.description)),
            ("due_on", SnapshotValue(dueOn?.description)),
            ("case_id", SnapshotValue(made?.caseID)),
            ("source", SnapshotValue(made?.source)),
            ("level", SnapshotValue(level?.rawValue)),
            ("last_note", SnapshotValue(lastNote)),
            ("evidence", SnapshotValue(evidence)),
            ("fulfilled_on", SnapshotValue(fulfilledOn?.description)),
            ("cancellation_reason", SnapshotValue(cancellation)),
        ])
    }
}
