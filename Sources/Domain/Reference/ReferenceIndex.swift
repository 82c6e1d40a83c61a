import Foundation

/// Finds entries of a numbered reference table by number or by name, ignoring case, spaces and punctuation.
struct ReferenceIndex<Entry: Sendable>: Sendable {
    private let byNumber: [Int: Entry]
    private let byName: [String: Entry]

    init(_ entries: [Entry], number: (Entry) -> Int, name: (Entry) -> String) {
        byNumber = Dictionary(entries.map { (number($0), $0) }, uniquingKeysWith: { first, _ in first })
        byName = Dictionary(entries.map { (Self.key(name($0)), $0) }, uniquingKeysWith: { first, _ in first })
    }

    func lookup(_ text: String) -> Entry? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            return Int(trimmed).flatMap { byNumber[$0] }
        }
        return byName[Self.key(text)]
    }

    /// The matching key of a name: its letters and digits, lowercased (`O'Hare` → `ohare`).
    static func key(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.lowercased().unicodeScalars.filter {
                    $0.properties.isAlphabetic || $0.properties.numericType != nil
                }
            )
        )
    }
}
