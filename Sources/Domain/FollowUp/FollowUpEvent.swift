/// The events of a `followup-<uuid>` stream.
public enum FollowUpEvent: Sendable, Hashable {
    case scheduled(FollowUpScheduled)
    case blocked(FollowUpBlocked)
    case completed(FollowUpCompleted)
    case cancelled(FollowUpCancelled)

    /// The stored form: type and JSON data.
    public var payload: EventPayload {
        switch self {
        case .scheduled(let body): body.payload
        case .blocked(let body): body.payload
        case .completed(let body): body.payload
        case .cancelled(let body): body.payload
        }
    }

    /// Reads a stored event back; `INVALID` when it is not a follow-up event or unreadable.
    public init(_ payload: EventPayload) throws(DomainError) {
        switch payload.type {
        case FollowUpScheduled.eventType: self = .scheduled(try FollowUpScheduled(payload: payload))
        case FollowUpBlocked.eventType: self = .blocked(try FollowUpBlocked(payload: payload))
        case FollowUpCompleted.eventType: self = .completed(try FollowUpCompleted(payload: payload))
        case FollowUpCancelled.eventType: self = .cancelled(try FollowUpCancelled(payload: payload))
        default: throw .invalid("type", "\(payload.type) is not a follow-up event")
        }
    }
}

/// A follow-up on a case, commitment or activity, assigned to an organization, due on a date.
public struct FollowUpScheduled: Sendable, Hashable, Codable, DatedEventBody {
    static let eventType = "FollowUpScheduled"
    static let dayKey = "scheduled_on"
    /// The stream followed up on: `case-<uuid>`, `commitment-<uuid>` or `activity-<uuid>`.
    public let about: String
    public let assigneeOrg: String
    public let dueOn: ISODate
    public let note: String?
    public let scheduledOn: ISODate

    enum CodingKeys: String, CodingKey {
        case about, note
        case assigneeOrg = "assignee_org"
        case dueOn = "due_on"
        case scheduledOn = "scheduled_on"
    }
}

/// The follow-up cannot go on for now, and why (e.g. waiting on procurement).
public struct FollowUpBlocked: Sendable, Hashable, Codable, DatedEventBody {
    static let eventType = "FollowUpBlocked"
    static let dayKey = "blocked_on"
    public let reason: String
    public let blockedOn: ISODate

    enum CodingKeys: String, CodingKey {
        case reason
        case blockedOn = "blocked_on"
    }
}

/// The follow-up was done, with its outcome.
public struct FollowUpCompleted: Sendable, Hashable, Codable, EventBody {
    static let eventType = "FollowUpCompleted"
    public let outcome: String
    public let completedOn: ISODate

    enum CodingKeys: String, CodingKey {
        case outcome
        case completedOn = "completed_on"
    }
}

/// The follow-up will not be done.
public struct FollowUpCancelled: Sendable, Hashable, Codable, DatedEventBody {
    static let eventType = "FollowUpCancelled"
    static let dayKey = "cancelled_on"
    public let reason: String?
    public let cancelledOn: ISODate

    enum CodingKeys: String, CodingKey {
        case reason
        case cancelledOn = "cancelled_on"
    }
}
