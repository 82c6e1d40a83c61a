/// How far a commitment has got; levels may go down as well as up, like consent-decree compliance.
public enum CompletionLevel: String, Sendable, Hashable, CaseIterable, Codable {
    case notStarted = "not-started"
    case limited
    case substantial
    case complete

    /// Parses a level case-insensitively (`_` for `-` too), naming the allowed values when it is not one.
    public init(parsing text: String, field: String = "level") throws(DomainError) {
        self = try Vocabulary.parse(text, field: field)
    }
}
