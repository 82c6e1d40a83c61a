public import EventLog
import Foundation

/// An operator's decision that a projection passes over one event it cannot apply
/// (`PROJECTION SKIP`): recorded as an event on `projection-<name>`, honoured by every later
/// run and rebuild of that projection.
public struct ProjectionSkip: Sendable, Hashable, Codable {
    /// The type of the event recording a decision.
    public static let eventType = "ProjectionEventSkipped"

    public let position: LogPosition
    public let eventID: String
    public let reason: String

    enum CodingKeys: String, CodingKey {
        case position, reason
        case eventID = "event_id"
    }

    public init(position: LogPosition, eventID: String, reason: String) {
        self.position = position
        self.eventID = eventID
        self.reason = reason
    }

    /// Reads a recorded decision; nil when the event is not one or unreadable.
    public init?(type: String, data: String) {
        guard type == Self.eventType, let skip = try? JSONDecoder().decode(Self.self, from: Data(data.utf8)) else {
            return nil
        }
        self = skip
    }

    /// The stream recording `projection`'s decisions.
    public static func stream(of projection: String) -> String { "projection-\(projection)" }

    /// The decision as event data (a JSON object with sorted keys).
    public var data: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
