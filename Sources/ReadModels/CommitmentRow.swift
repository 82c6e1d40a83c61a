public import Domain

/// The commitment board's row: status, completion level, owner, due date, last progress.
/// "Overdue" is not stored: it depends on the day the board is read.
public struct CommitmentRow: ReadModelRow {
    public var id: String
    public var ownerOrg: String
    public var text: String
    public var madeTo: String
    public var madeOn: ISODate
    public var dueOn: ISODate
    public var caseID: String?
    public var source: String?
    /// open, fulfilled or cancelled.
    public var status: String
    public var level: String
    public var lastProgressOn: ISODate?
    public var lastProgressNote: String?
    public var fulfilledOn: ISODate?
    public var cancelledOn: ISODate?
    public var dueDateChanges: Int

    enum CodingKeys: String, CodingKey {
        case id, text, source, status, level
        case ownerOrg = "owner_org"
        case madeTo = "made_to"
        case madeOn = "made_on"
        case dueOn = "due_on"
        case caseID = "case_id"
        case lastProgressOn = "last_progress_on"
        case lastProgressNote = "last_progress_note"
        case fulfilledOn = "fulfilled_on"
        case cancelledOn = "cancelled_on"
        case dueDateChanges = "due_date_changes"
    }

    public static let eventTypePrefix = "Commitment"

    public static func key(of event: DomainEvent, origin: EventOrigin) -> String? {
        guard case .commitment = event else { return nil }
        return entityID(origin.stream)
    }

    public static func applying(_ event: DomainEvent, to current: CommitmentRow?, origin: EventOrigin)
        -> CommitmentRow?
    {
        guard case .commitment(let event) = event else { return current }
        if case .made(let made) = event {
            return CommitmentRow(
                id: entityID(origin.stream),
                ownerOrg: made.ownerOrg,
                text: made.text,
                madeTo: made.madeTo,
                madeOn: made.madeOn,
                dueOn: made.dueOn,
                caseID: made.caseID,
                source: made.source,
                status: "open",
                level: CompletionLevel.notStarted.rawValue,
                dueDateChanges: 0
            )
        }
        guard var row = current else { return nil }
        switch event {
        case .made: break
        case .progressed(let progress):
            row.level = progress.level.rawValue
            row.lastProgressOn = progress.reportedOn
            row.lastProgressNote = progress.note
        case .dueDateChanged(let change):
            row.dueOn = change.dueOn
            row.dueDateChanges += 1
        case .fulfilled(let fulfilled):
            row.status = "fulfilled"
            row.fulfilledOn = fulfilled.fulfilledOn
        case .cancelled(let cancelled):
            row.status = "cancelled"
            row.cancelledOn = cancelled.cancelledOn
        case .reopened:
            row.status = "open"
            row.fulfilledOn = nil
            row.cancelledOn = nil
        }
        return row
    }

    /// Whether the commitment is open past its due date on `today`.
    public func isOverdue(on today: ISODate) -> Bool { status == "open" && dueOn < today }
}
