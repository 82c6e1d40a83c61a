/// A follow-up folded from its `followup-<uuid>` stream.
public struct FollowUpState: Sendable, Hashable {
    /// scheduled ⇄ blocked → completed | cancelled; nothing follows completed or cancelled.
    public enum Status: String, Sendable, Hashable {
        case scheduled
        case blocked
        case completed
        case cancelled
    }

    public let id: String
    /// The event that scheduled the follow-up; nil when it does not exist.
    public private(set) var scheduled: FollowUpScheduled?
    public private(set) var status: Status?
    public private(set) var blockedReason: String?
    public private(set) var outcome: String?
    public private(set) var completedOn: ISODate?
    public private(set) var cancellation: String?

    /// Folds `history` (in stream order); an empty history is a follow-up that does not exist.
    public init(id: String, history: [EventPayload]) throws(DomainError) {
        self.id = id
        for payload in history { apply(try FollowUpEvent(payload)) }
    }

    /// Whether the stream holds the entity (its first event was read).
    public var exists: Bool { scheduled != nil }

    /// Applies the next event of the stream.
    public mutating func apply(_ event: FollowUpEvent) {
        switch event {
        case .scheduled(let body):
            scheduled = body
            status = .scheduled
        case .blocked(let body):
            status = .blocked
            blockedReason = body.reason
        case .completed(let body):
            status = .completed
            outcome = body.outcome
            completedOn = body.completedOn
        case .cancelled(let body):
            status = .cancelled
            cancellation = body.reason
        }
    }

    /// Status and current fields, as `FOLLOWUP GET` shows them.
    public var snapshot: EntitySnapshot {
        EntitySnapshot([
            ("id", .text(id)),
            ("status", SnapshotValue(status?.rawValue)),
            ("about", SnapshotValue(scheduled?.about)),
            ("assignee_org", SnapshotValue(scheduled?.assigneeOrg)),
            ("due_on", SnapshotValue(scheduled?.dueOn.description)),
            ("note", SnapshotValue(scheduled?.note)),
            ("blocked_reason", SnapshotValue(status == .blocked ? blockedReason : nil)),
            ("outcome", SnapshotValue(outcome)),
            ("completed_on", SnapshotValue(completedOn?.description)),
            ("cancellation_reason", SnapshotValue(cancellation)),
        ])
    }
}
