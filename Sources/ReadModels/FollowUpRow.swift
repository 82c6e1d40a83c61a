public import Domain

/// A follow-up as the due-and-overdue list shows it: what it is about, who does it, by when, and
/// where it stands. "Overdue" is not stored: it depends on the day the list is read.
public struct FollowUpRow: ReadModelRow {
    public var id: String
    /// The stream followed up on: `case-<uuid>`, `commitment-<uuid>` or `activity-<uuid>`.
    public var about: String
    public var assigneeOrg: String
    public var dueOn: ISODate
    public var note: String?
    /// scheduled, blocked, completed or cancelled.
    public var status: String
    /// Why it cannot go on, while blocked.
    public var blockReason: String?
    public var outcome: String?
    public var completedOn: ISODate?
    public var cancelReason: String?
    public var scheduledOn: ISODate
    public var cancelledOn: ISODate?

    enum CodingKeys: String, CodingKey {
        case id, about, note, status, outcome
        case assigneeOrg = "assignee_org"
        case dueOn = "due_on"
        case blockReason = "block_reason"
        case completedOn = "completed_on"
        case cancelReason = "cancel_reason"
        case scheduledOn = "scheduled_on"
        case cancelledOn = "cancelled_on"
    }

    /// The statuses in which a follow-up still has to be done.
    public static let openStatuses = ["scheduled", "blocked"]

    public static let eventTypePrefix = "FollowUp"

    public static func key(of event: DomainEvent, origin: EventOrigin) -> String? {
        guard case .followUp = event else { return nil }
        return entityID(origin.stream)
    }

    public static func applying(_ event: DomainEvent, to current: FollowUpRow?, origin: EventOrigin)
        -> FollowUpRow?
    {
        guard case .followUp(let event) = event else { return current }
        if case .scheduled(let scheduled) = event {
            return FollowUpRow(
                id: entityID(origin.stream),
                about: scheduled.about,
                assigneeOrg: scheduled.assigneeOrg,
                dueOn: scheduled.dueOn,
                note: scheduled.note,
                status: "scheduled",
                scheduledOn: scheduled.scheduledOn
            )
        }
        guard var row = current else { return nil }
        switch event {
        case .scheduled: break
        case .blocked(let blocked):
            row.status = "blocked"
            row.blockReason = blocked.reason
        case .completed(let completed):
            row.status = "completed"
            row.blockReason = nil
            row.outcome = completed.outcome
            row.completedOn = completed.completedOn
        case .cancelled(let cancelled):
            row.status = "cancelled"
            row.blockReason = nil
            row.cancelReason = cancelled.reason
            row.cancelledOn = cancelled.cancelledOn
        }
        return row
    }

    /// Whether the follow-up is still open (scheduled or blocked).
    public var isOpen: Bool { Self.openStatuses.contains(status) }

    /// Whether the follow-up is open past its due date on `today`.
    public func isOverdue(on today: ISODate) -> Bool { isOpen && dueOn < today }
}
