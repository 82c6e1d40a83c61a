/// What kind of engagement an activity was.
public enum ActivityKind: String, Sendable, Hashable, CaseIterable, Codable {
    case listeningSession = "listening-session"
    case survey
    case focusGroup = "focus-group"
    case communityMeeting = "community-meeting"
    case canvass
    case training
    case other

    /// Parses a kind case-insensitively (`_` for `-` too), naming the allowed values when it is not one.
    public init(parsing text: String, field: String = "kind") throws(DomainError) {
        self = try Vocabulary.parse(text, field: field)
    }
}
