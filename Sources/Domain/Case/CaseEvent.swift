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
public struct CaseOpened: Sendable, Hashable, Codable, EventBody {
    static let eventType = "CaseOpened"
    public let title: String
    public let leadOrg: String
    public let communityAreas: [CommunityArea]
    public let themes: [String]
    public let summary: String?

    enum CodingKeys: String, CodingKey {
        case title, themes, summary
        case leadOrg = "lead_org"
        case communityAreas = "community_areas"
    }
}

/// A note was added to an open case.
public struct CaseNoteAdded: Sendable, Hashable, Codable, EventBody {
    static let eventType = "CaseNoteAdded"
    public let note: String
}

/// Another organization now leads the case.
public struct CaseReassigned: Sendable, Hashable, Codable, EventBody {
    static let eventType = "CaseReassigned"
    public let leadOrg: String
    public let reason: String?

    enum CodingKeys: String, CodingKey {
        case reason
        case leadOrg = "lead_org"
    }
}

/// The case was closed with a resolution.
public struct CaseClosed: Sendable, Hashable, Codable, EventBody {
    static let eventType = "CaseClosed"
    public let resolution: String
}

/// A closed case was opened again.
public struct CaseReopened: Sendable, Hashable, Codable, EventBody {
    static let eventType = "CaseReopened"
    public let reason: String?
}
