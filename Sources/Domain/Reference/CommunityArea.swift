/// One of the city's 77 community areas, stored as its number and canonical name.
public struct CommunityArea: Sendable, Hashable, Codable, CustomStringConvertible {
    public let number: Int
    public let name: String

    init(number: Int, name: String) {
        self.number = number
        self.name = name
    }

    private static let index = ReferenceIndex(all, number: \.number, name: \.name)

    /// The area with this number (`76`) or name, matched ignoring case, spaces and punctuation (`o hare`),
    /// or the one area a neighbourhood of this name lies in (`Pilsen`: 31 Lower West Side).
    public static func lookup(_ text: String) -> CommunityArea? {
        if let area = index.lookup(text) { return area }
        guard let neighbourhood = Neighbourhood.lookup(text), neighbourhood.areas.count == 1 else { return nil }
        return neighbourhood.areas.first
    }

    /// Looks `text` up, refusing an unknown area, or a neighbourhood that spans several, with `INVALID <field>`.
    public init(parsing text: String, field: String = "community_area") throws(DomainError) {
        if let area = Self.lookup(text) {
            self = area
            return
        }
        if let neighbourhood = Neighbourhood.lookup(text) {
            let areas = neighbourhood.areas.map(\.description).joined(separator: ", ")
            throw .invalid(field, "'\(text)' spans community areas \(areas); give one of them")
        }
        throw .invalid(field, "'\(text)' is not a community area; give its number (1-77) or name")
    }

    /// `76 O'Hare`.
    public var description: String { "\(number) \(name)" }
}
