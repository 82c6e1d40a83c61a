/// The events of an `org-<slug>` stream.
public enum OrganizationEvent: Sendable, Hashable {
    case registered(OrganizationRegistered)
    case renamed(OrganizationRenamed)
    case retired(OrganizationRetired)

    /// The stored form: type and JSON data.
    public var payload: EventPayload {
        switch self {
        case .registered(let body): body.payload
        case .renamed(let body): body.payload
        case .retired(let body): body.payload
        }
    }

    /// Reads a stored event back; `INVALID` when it is not an organization event or unreadable.
    public init(_ payload: EventPayload) throws(DomainError) {
        switch payload.type {
        case OrganizationRegistered.eventType: self = .registered(try OrganizationRegistered(payload: payload))
        case OrganizationRenamed.eventType: self = .renamed(try OrganizationRenamed(payload: payload))
        case OrganizationRetired.eventType: self = .retired(try OrganizationRetired(payload: payload))
        default: throw .invalid("type", "\(payload.type) is not an organization event")
        }
    }
}

/// An organization joined: its display name and kind.
public struct OrganizationRegistered: Sendable, Hashable, Codable, EventBody {
    static let eventType = "OrganizationRegistered"
    public let name: String
    public let kind: OrganizationKind
}

/// An organization's display name changed.
public struct OrganizationRenamed: Sendable, Hashable, Codable, EventBody {
    static let eventType = "OrganizationRenamed"
    public let name: String
}

/// An organization left the initiative: it keeps its history and takes no new work.
public struct OrganizationRetired: Sendable, Hashable, Codable, EventBody {
    static let eventType = "OrganizationRetired"
    public let reason: String?
}
