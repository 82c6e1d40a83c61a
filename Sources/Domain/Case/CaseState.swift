/// A case folded from its `case-<uuid>` stream.
public struct CaseState: Sendable, Hashable {
    /// Where a case is in its life: open → closed → (reopened) open → …
    public enum Status: String, Sendable, Hashable {
        case open
        case closed
    }

    public let id: String
    /// The event that opened the case; nil when it does not exist.
    public private(set) var opened: CaseOpened?
    public private(set) var status: Status?
    public private(set) var leadOrg: String?
    public private(set) var notes: [String] = []
    public private(set) var resolution: String?

    /// Folds `history` (in stream order); an empty history is a case that does not exist.
    public init(id: String, history: [EventPayload]) throws(DomainError) {
        self.id = id
        for payload in history { apply(try CaseEvent(payload)) }
    }

    /// Whether the stream holds the entity (its first event was read).
    public var exists: Bool { opened != nil }

    /// Applies the next event of the stream.
    public mutating func apply(_ event: CaseEvent) {
        switch event {
        case .opened(let body):
            opened = body
            leadOrg = body.leadOrg
            status = .open
        case .noteAdded(let body): notes.append(body.note)
        case .reassigned(let body): leadOrg = body.leadOrg
        case .closed(let body):
            status = .closed
            resolution = body.resolution
        case .reopened:
            status = .open
            resolution = nil
        }
    }

    /// Status and current fields, as `CASE GET` shows them.
    public var snapshot: EntitySnapshot {
        EntitySnapshot([
            ("id", .text(id)),
            ("status", SnapshotValue(status?.rawValue)),
            ("title", SnapshotValue(opened?.title)),
            ("lead_org", SnapshotValue(leadOrg)),
            ("community_areas", .list((opened?.communityAreas ?? []).map { .text($0.description) })),
            ("themes", .list((opened?.themes ?? []).map(SnapshotValue.text))),
            ("summary", SnapshotValue(opened?.summary)),
            ("notes", .list(notes.map(SnapshotValue.text))),
            ("resolution", SnapshotValue(resolution)),
        ])
    }
}
