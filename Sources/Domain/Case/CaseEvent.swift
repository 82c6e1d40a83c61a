/// The events of a `case-<uuid>` stream: a thread of engagement about one concern.
public enum CaseEvent: Sendable, Hashable {
    case opened(CaseOpened)
    case noteAdded(CaseNoteAdded)
    case reassigned(CaseReassigned)
    case closed(CaseClosed)
    case reopened(CaseReopened)

    /// The stored form: type and JSON data.
    public var payload: EventPayload {
        switch self {
        case .opened(let body): body.payload
        case .noteAdded(let body): body.payload
        case .reassigned(let body): body.payload
        case .closed(let body): body.payload
        case .reopened(let body): body.payload
        }
    }

    /// Reads a stored event back; `INVALID` when it is not a case event or unreadable.
    public init(_ payload: EventPayload) throws(DomainError) {
        switch payload.type {
        case CaseOpened.eventType: self = .opened(try CaseOpened(payload: payload))
        case CaseNoteAdded.eventType: self = .noteAdded(try CaseNoteAdded(payload: payload))
        case CaseReassigned.eventType: self = .reassigned(try CaseReassigned(payload: payload))
        case CaseClosed.eventType: self = .closed(try CaseClosed(payload: payload))
        case CaseReopened.eventType: self = .reopened(try CaseReopened(payload: payload))
        default: throw .invalid("type", "\(payload.type) is not a case event")
        }
    }
}

/// A case was opened, led by one organization.
public struct CaseOpened: Sendable, Hashable, Codable, DatedEventBody {
    static let eventType = "CaseOpened"
    static let dayKey = "opened_on"
    public let title: String
    public let leadOrg: String
    public let communityAreas: [CommunityArea]
    public let themes: [String]
    public let summary: String?
    public let openedOn: ISODate

    enum CodingKeys: String, CodingKey {
        case title, themes, summary
        case leadOrg = "lead_org"
        case communityAreas = "community_areas"
        case openedOn = "opened_on"
    }
}

/// A note was added to an open case.
public struct CaseNoteAdded: Sendable, Hashable, Codable, DatedEventBody {
    static let eventType = "CaseNoteAdded"
    static let dayKey = "noted_on"
    public let note: String
    public let notedOn: ISODate

    enum CodingKeys: String, CodingKey {
        case note
        case notedOn = "noted_on"
    }
}

/// Another organization now leads the case.
public struct CaseReassigned: Sendable, Hashable, Codable, DatedEventBody {
    static let eventType = "CaseReassigned"
    static let dayKey = "reassigned_on"
    public let leadOrg: String
    public let reason: String?
    public let reassignedOn: ISODate

    enum CodingKeys: String, CodingKey {
        case reason
        case leadOrg = "lead_org"
        case reassignedOn = "reassigned_on"
    }
}

/// The case was closed with a resolution.
public struct CaseClosed: Sendable, Hashable, Codable, DatedEventBody {
    static let eventType = "CaseClosed"
    static let dayKey = "closed_on"
    public let resolution: String
    public let closedOn: ISODate

    enum CodingKeys: String, CodingKey {
        case resolution
        case closedOn = "closed_on"
    }
}

/// A closed case was opened again.
public struct CaseReopened: Sendable, Hashable, Codable, DatedEventBody {
    static let eventType = "CaseReopened"
    static let dayKey = "reopened_on"
    public let reason: String?
    public let reopenedOn: ISODate

    enum CodingKeys: String, CodingKey {
        case reason
        case reopenedOn = "reopened_on"
    }
}
