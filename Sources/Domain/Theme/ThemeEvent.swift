/// The events of the `theme-vocabulary` stream.
public enum ThemeEvent: Sendable, Hashable {
    case added(ThemeAdded)

    /// The stored form: type and JSON data.
    public var payload: EventPayload {
        switch self {
        case .added(let body): body.payload
        }
    }

    /// Reads a stored event back; `INVALID` when it is not a theme event or unreadable.
    public init(_ payload: EventPayload) throws(DomainError) {
        switch payload.type {
        case ThemeAdded.eventType: self = .added(try ThemeAdded(payload: payload))
        default: throw .invalid("type", "\(payload.type) is not a theme event")
        }
    }
}

/// A theme joined the vocabulary.
public struct ThemeAdded: Sendable, Hashable, Codable, EventBody {
    static let eventType = "ThemeAdded"
    /// The theme's slug, e.g. `language-access`.
    public let theme: String
}
