/// The events of a `commitment-<uuid>` stream. "Overdue" is derived by read models, never stored.
public enum CommitmentEvent: Sendable, Hashable {
    case made(CommitmentMade)
    case progressed(CommitmentProgressed)
    case dueDateChanged(CommitmentDueDateChanged)
    case fulfilled(CommitmentFulfilled)
    case cancelled(CommitmentCancelled)
    case reopened(CommitmentReopened)

    /// The stored form: type and JSON data.
    public var payload: EventPayload {
        switch self {
        case .made(let body): body.payload
        case .progressed(let body): body.payload
        case .dueDateChanged(let body): body.payload
        case .fulfilled(let body): body.payload
        case .cancelled(let body): body.payload
        case .reopened(let body): body.payload
        }
    }

    /// Reads a stored event back (upcasting older schemas); `INVALID` when it is not a commitment event or unreadable.
    public init(_ payload: EventPayload) throws(DomainError) {
        switch payload.type {
        case CommitmentMade.eventType: self = .made(try CommitmentMade(payload: payload))
        case CommitmentProgressed.eventType: self = .progressed(try CommitmentProgressed(payload: payload))
        case CommitmentDueDateChanged.eventType: self = .dueDateChanged(try CommitmentDueDateChanged(payload: payload))
        case CommitmentFulfilled.eventType: self = .fulfilled(try CommitmentFulfilled(payload: payload))
        case CommitmentCancelled.eventType: self = .cancelled(try CommitmentCancelled(payload: payload))
        case CommitmentReopened.eventType: self = .reopened(try CommitmentReopened(payload: payload))
        default: throw .invalid("type", "\(payload.type) is not a commitment event")
        }
    }
}

/// An organization promised something to someone, by a due date.
public struct CommitmentMade: Sendable, Hashable, Codable, EventBody {
    static let eventType = "CommitmentMade"
    /// Schema 2 names the date `due_on` and adds `source`; schema 1 called it `due` and had no source.
    static let schema = 2
    public let ownerOrg: String
    public let text: String
    /// To whom the commitment was made, e.g. "residents at the Austin listening session".
    public let madeTo: String
    public let madeOn: ISODate
    public let dueOn: ISODate
    public let caseID: String?
    /// Where the commitment came from: `activity-<uuid>`, or a reference such as a consent-decree paragraph.
    public let source: String?

    enum CodingKeys: String, CodingKey {
        case text, source
        case ownerOrg = "owner_org"
        case madeTo = "made_to"
        case madeOn = "made_on"
        case dueOn = "due_on"
        case caseID = "case_id"
    }

    static func upcast(from schema: Int, decoder: any Decoder) throws -> CommitmentMade {
        let old = try SchemaOne(from: decoder)
        return CommitmentMade(
            ownerOrg: old.ownerOrg,
            text: old.text,
            madeTo: old.madeTo,
            madeOn: old.madeOn,
            dueOn: old.due,
            caseID: old.caseID,
            source: nil
        )
    }

    /// The schema 1 shape: `due` instead of `due_on`, no `source`.
    private struct SchemaOne: Decodable {
        let ownerOrg: String
        let text: String
        let madeTo: String
        let madeOn: ISODate
        let due: ISODate
        let caseID: String?

        enum CodingKeys: String, CodingKey {
            case text, due
            case ownerOrg = "owner_org"
            case madeTo = "made_to"
            case madeOn = "made_on"
            case caseID = "case_id"
        }
    }
}

/// How far the commitment has got, with an optional note.
public struct CommitmentProgressed: Sendable, Hashable, Codable, DatedEventBody {
    static let eventType = "CommitmentProgressed"
    static let dayKey = "reported_on"
    public let level: CompletionLevel
    public let note: String?
    /// The day the progress was reported.
    public let reportedOn: ISODate

    enum CodingKeys: String, CodingKey {
        case level, note
        case reportedOn = "reported_on"
    }
}

/// A new due date, and why.
public struct CommitmentDueDateChanged: Sendable, Hashable, Codable, DatedEventBody {
    static let eventType = "CommitmentDueDateChanged"
    static let dayKey = "redated_on"
    public let dueOn: ISODate
    public let reason: String
    /// The day the due date was changed.
    public let redatedOn: ISODate

    enum CodingKeys: String, CodingKey {
        case reason
        case dueOn = "due_on"
        case redatedOn = "redated_on"
    }
}

/// The commitment was kept, with evidence.
public struct CommitmentFulfilled: Sendable, Hashable, Codable, EventBody {
    static let eventType = "CommitmentFulfilled"
    public let evidence: String
    public let fulfilledOn: ISODate

    enum CodingKeys: String, CodingKey {
        case evidence
        case fulfilledOn = "fulfilled_on"
    }
}

/// The commitment was withdrawn, and why.
public struct CommitmentCancelled: Sendable, Hashable, Codable, DatedEventBody {
    static let eventType = "CommitmentCancelled"
    static let dayKey = "cancelled_on"
    public let reason: String
    public let cancelledOn: ISODate

    enum CodingKeys: String, CodingKey {
        case reason
        case cancelledOn = "cancelled_on"
    }
}

/// A fulfilled or cancelled commitment is open again.
public struct CommitmentReopened: Sendable, Hashable, Codable, DatedEventBody {
    static let eventType = "CommitmentReopened"
    static let dayKey = "reopened_on"
    public let reason: String?
    public let reopenedOn: ISODate

    enum CodingKeys: String, CodingKey {
        case reason
        case reopenedOn = "reopened_on"
    }
}
