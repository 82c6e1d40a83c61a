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
}
