/// A neighbourhood name residents and coordinators use (Pilsen, Little Village), accepted wherever a
/// community area is asked for: it stands for the one community area it lies in, and one that spans
/// several is refused listing them, never guessed.
public struct Neighbourhood: Sendable, Hashable {
    /// Where a row's name comes from (see the reference README).
    public enum Source: String, Sendable, Hashable {
        /// A primary or secondary name of the City's 2012 neighbourhood boundaries.
        case city2012 = "city-2012"
        /// The neighbourhood list of Wikipedia's "List of neighborhoods in Chicago".
        case wikipedia
    }

    public let name: String
    /// The numbers of the community areas the neighbourhood lies in, ascending.
    public let areaNumbers: [Int]
    public let source: Source

    init(name: String, areaNumbers: [Int], source: Source) {
        self.name = name
        self.areaNumbers = areaNumbers
        self.source = source
    }

    /// The community areas the neighbourhood lies in.
    public var areas: [CommunityArea] { areaNumbers.compactMap { CommunityArea.lookup(String($0)) } }

    private static let byKey = Dictionary(
        all.map { (ReferenceIndex<Neighbourhood>.key($0.name), $0) },
        uniquingKeysWith: { first, _ in first }
    )

    /// The neighbourhood of this name, matched ignoring case, spaces and punctuation (`little village`).
    public static func lookup(_ text: String) -> Neighbourhood? { byKey[ReferenceIndex<Neighbourhood>.key(text)] }
}
