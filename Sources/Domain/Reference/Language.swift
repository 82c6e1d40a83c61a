/// A language an activity was held in, from a fixed list of codes with names (ISO 639-1 where one
/// exists, ISO 639-3 otherwise), stored as its code.
public struct Language: Sendable, Hashable, CustomStringConvertible {
    public let code: String
    public let name: String

    init(_ code: String, _ name: String) {
        self.code = code
        self.name = name
    }

    private static let byKey: [String: Language] = Dictionary(
        all.flatMap { [(ReferenceIndex<Language>.key($0.code), $0), (ReferenceIndex<Language>.key($0.name), $0)] },
        uniquingKeysWith: { first, _ in first }
    )

    /// The language with this code (`es`) or name (`Spanish`), matched ignoring case, spaces and punctuation.
    public static func lookup(_ text: String) -> Language? { byKey[ReferenceIndex<Language>.key(text)] }

    /// `es Spanish`.
    public var description: String { "\(code) \(name)" }

    /// The languages accepted, in code order: those most spoken in Chicago's homes (ACS) and the
    /// initiative's outreach languages.
    public static let all: [Language] = [
        Language("am", "Amharic"), Language("ar", "Arabic"), Language("ase", "American Sign Language"),
        Language("bs", "Bosnian"), Language("de", "German"), Language("el", "Greek"), Language("en", "English"),
        Language("es", "Spanish"),
        Language("fa", "Persian"), Language("fr", "French"), Language("gu", "Gujarati"), Language("hi", "Hindi"),
        Language("ht", "Haitian Creole"), Language("it", "Italian"), Language("ko", "Korean"),
        Language("lt", "Lithuanian"), Language("ne", "Nepali"), Language("pl", "Polish"), Language("ps", "Pashto"),
        Language("pt", "Portuguese"), Language("ro", "Romanian"), Language("ru", "Russian"), Language("so", "Somali"),
        Language("sq", "Albanian"), Language("sw", "Swahili"), Language("tl", "Tagalog"), Language("uk", "Ukrainian"),
        Language("ur", "Urdu"), Language("vi", "Vietnamese"), Language("yo", "Yoruba"), Language("yue", "Cantonese"),
        Language("zh", "Chinese"),
    ]
}
