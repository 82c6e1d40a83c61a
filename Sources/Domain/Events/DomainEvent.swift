/// Any event of the case-tracking domain, for readers of the whole log such as projections.
public enum DomainEvent: Sendable, Hashable {
    case organization(OrganizationEvent)
    case `case`(CaseEvent)
    case activity(ActivityEvent)
    case commitment(CommitmentEvent)
    case followUp(FollowUpEvent)
    case theme(ThemeEvent)

    /// Reads a stored event by its type's prefix (`Commitment…`, `FollowUp…`); nil for types outside
    /// this domain (such as access events), `INVALID` when a domain event is unreadable.
    public init?(_ payload: EventPayload) throws(DomainError) {
        let type = payload.type
        if type.hasPrefix("Organization") {
            self = .organization(try OrganizationEvent(payload))
        } else if type.hasPrefix("Case") {
            self = .case(try CaseEvent(payload))
        } else if type.hasPrefix("Activity") {
            self = .activity(try ActivityEvent(payload))
        } else if type.hasPrefix("Commitment") {
            self = .commitment(try CommitmentEvent(payload))
        } else if type.hasPrefix("FollowUp") {
            self = .followUp(try FollowUpEvent(payload))
        } else if type.hasPrefix("Theme") {
            self = .theme(try ThemeEvent(payload))
        } else {
            return nil
        }
    }

    /// The stored form, written in the current schema.
    public var payload: EventPayload {
        switch self {
        case .organization(let event): event.payload
        case .case(let event): event.payload
        case .activity(let event): event.payload
        case .commitment(let event): event.payload
        case .followUp(let event): event.payload
        case .theme(let event): event.payload
        }
    }

    /// The day the event records something happened on (made, fulfilled, opened, occurred, …);
    /// nil for events that correct the record or change reference data rather than record a day.
    public var effectiveOn: ISODate? {
        switch self {
        case .organization, .theme: nil
        case .case(let event):
            switch event {
            case .opened(let body): body.openedOn
            case .noteAdded(let body): body.notedOn
            case .reassigned(let body): body.reassignedOn
            case .closed(let body): body.closedOn
            case .reopened(let body): body.reopenedOn
            }
        case .activity(let event):
            switch event {
            case .logged(let body): body.occurredOn
            case .corrected, .retracted: nil
            }
        case .commitment(let event):
            switch event {
            case .made(let body): body.madeOn
            case .progressed(let body): body.reportedOn
            case .dueDateChanged(let body): body.redatedOn
            case .fulfilled(let body): body.fulfilledOn
            case .cancelled(let body): body.cancelledOn
            case .reopened(let body): body.reopenedOn
            }
        case .followUp(let event):
            switch event {
            case .scheduled(let body): body.scheduledOn
            case .blocked(let body): body.blockedOn
            case .completed(let body): body.completedOn
            case .cancelled(let body): body.cancelledOn
            }
        }
    }
}
