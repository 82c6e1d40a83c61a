/// An activity folded from its `activity-<uuid>` stream: as logged, with every correction applied.
public struct ActivityState: Sendable, Hashable {
    /// Whether the activity counts: recorded, or retracted (kept in history, counted nowhere).
    public enum Status: String, Sendable, Hashable {
        case recorded
        case retracted
    }

    public let id: String
    /// The event that logged the activity; nil when it does not exist.
    public private(set) var logged: ActivityLogged?
    /// The activity's values with corrections applied.
    public private(set) var current: ActivityLogged?
    public private(set) var corrections = 0
    public private(set) var retraction: String?

    /// Folds `history` (in stream order); an empty history is an activity that does not exist.
    public init(id: String, history: [EventPayload]) throws(DomainError) {
        self.id = id
        for payload in history { apply(try ActivityEvent(payload)) }
    }

    /// Whether the stream holds the entity (its first event was read).
    public var exists: Bool { logged != nil }

    public var status: Status? {
        guard exists else { return nil }
        return retraction == nil ? .recorded : .retracted
    }

    /// Applies the next event of the stream.
    public mutating func apply(_ event: ActivityEvent) {
        switch event {
        case .logged(let body):
            logged = body
            current = body
        case .corrected(let body):
            current = current?.corrected(by: body)
            corrections += 1
        case .retracted(let body): retraction = body.reason
        }
    }

    /// Status and current fields, as `ACTIVITY GET` shows them.
    public var snapshot: EntitySnapshot {
        EntitySnapshot([
            ("id", .text(id)),
            ("status", SnapshotValue(status?.rawValue)),
            ("org", SnapshotValue(current?.org)),
            ("kind", SnapshotValue(current?.kind.rawValue)),
            ("occurred_on", SnapshotValue(current?.occurredOn.description)),
            ("community_area", SnapshotValue(current?.communityArea?.description)),
            ("police_district", SnapshotValue(current?.policeDistrict?.description)),
            ("attendance", current.map { .integer(Int64($0.attendance)) } ?? .null),
            ("languages", .list((current?.languages ?? []).map(SnapshotValue.text))),
            ("themes", .list((current?.themes ?? []).map(SnapshotValue.text))),
            ("summary", SnapshotValue(current?.summary)),
            ("case_id", SnapshotValue(current?.caseID)),
            ("corrections", .integer(Int64(corrections))),
            ("retraction_reason", SnapshotValue(retraction)),
        ])
    }
}
