/// One of the city's 77 community areas, stored as its number and canonical name.
public struct CommunityArea: Sendable, Hashable, Codable, CustomStringConvertible {
    public let number: Int
    public let name: String

    init(number: Int, name: String) {
        self.number = number
        self.name = name
    }

    private static let index = ReferenceIndex(all, number: \.number, name: \.name)

    /// The area with this number (`76`) or name, matched ignoring case, spaces and punctuation (`o hare`).
    public static func lookup(_ text: String) -> CommunityArea? { index.lookup(text) }

    /// Looks `text` up, refusing an unknown area with `INVALID <field>`.
    public init(parsing text: String, field: String = "community_area") throws(DomainError) {
        guard let area = Self.lookup(text) else {
            throw .invalid(field, "'\(text)' is not a community area; give its number (1-77) or name")
        }
        self = area
    }

    /// `76 O'Hare`.
    public var description: String { "\(number) \(name)" }
}
