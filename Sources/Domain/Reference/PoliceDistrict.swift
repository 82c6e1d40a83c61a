/// One of the 22 police districts, stored as its number and name. Numbers 13, 21 and 23 no longer exist.
public struct PoliceDistrict: Sendable, Hashable, Codable, CustomStringConvertible {
    public let number: Int
    public let name: String

    init(number: Int, name: String) {
        self.number = number
        self.name = name
    }

    private static let index = ReferenceIndex(all, number: \.number, name: \.name)

    /// The district with this number (`16`) or name, matched ignoring case, spaces and punctuation.
    public static func lookup(_ text: String) -> PoliceDistrict? { index.lookup(text) }

    /// Looks `text` up, refusing an unknown district with `INVALID <field>`.
    public init(parsing text: String, field: String = "police_district") throws(DomainError) {
        guard let district = Self.lookup(text) else {
            let numbers = Self.all.map { String($0.number) }.joined(separator: ", ")
            throw .invalid(field, "'\(text)' is not a police district; give a name or one of \(numbers)")
        }
        self = district
    }

    /// `16 Jefferson Park`.
    public var description: String { "\(number) \(name)" }
}
