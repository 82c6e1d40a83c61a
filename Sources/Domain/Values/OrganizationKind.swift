/// What kind of organization takes part in the initiative.
public enum OrganizationKind: String, Sendable, Hashable, CaseIterable, Codable {
    case mayorsOffice = "mayors-office"
    case police
    case cbo
    case facilitator
    case partner

    /// Parses a kind case-insensitively (`_` for `-` too), naming the allowed values when it is not one.
    public init(parsing text: String, field: String = "kind") throws(DomainError) {
        self = try Vocabulary.parse(text, field: field)
    }
}
