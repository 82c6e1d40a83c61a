import Foundation

/// The shared rules for values typed into commands: bounded text, lists, ids and counts.
///
/// Each rule throws `INVALID <field>: <rule>`, naming the field as it is stored in event data.
public enum FieldRules {
    /// Longest title or name, in characters.
    public static let titleLimit = 200
    /// Longest free text (summaries, notes, commitment text, evidence, outcomes), in characters.
    public static let textLimit = 4000
    /// Longest reason for a change, in characters.
    public static let reasonLimit = 1000
    /// Largest attendance count of one activity.
    public static let attendanceLimit = 100_000
    /// Most items in one list field (areas, themes, languages).
    public static let listLimit = 80

    /// Trimmed text, non-empty, at most `limit` characters, without control characters other than line breaks and tabs.
    public static func text(_ value: String, field: String, limit: Int) throws(DomainError) -> String {
        let trimmed = trimmed(value)
        guard !trimmed.isEmpty else { throw .invalid(field, "must not be empty") }
        // No more bytes than the limit means no more characters either, without counting them.
        guard trimmed.utf8.count <= limit || trimmed.count <= limit else {
            throw .invalid(field, "must be at most \(limit) characters")
        }
        // Control characters (Unicode category Cc) are U+0000-U+001F and U+007F-U+009F.
        let isForbiddenControl = { (scalar: Unicode.Scalar) in
            (scalar.value < 0x20 && scalar != "\n" && scalar != "\r" && scalar != "\t")
                || (0x7F...0x9F).contains(scalar.value)
        }
        guard !trimmed.unicodeScalars.contains(where: isForbiddenControl) else {
            throw .invalid(field, "must not contain control characters")
        }
        return trimmed
    }

    /// `value` without leading and trailing white space (spaces, tabs and line breaks, exactly as
    /// Foundation's `whitespacesAndNewlines`), returned as it is when it has none —
    /// the usual case, which then costs no copy (Foundation's trimming bridged every value).
    public static func trimmed(_ value: String) -> String {
        let scalars = value.unicodeScalars
        // Foundation counts the zero-width space as white space too.
        let kept = { (scalar: Unicode.Scalar) in !scalar.properties.isWhitespace && scalar != "\u{200B}" }
        guard let first = scalars.firstIndex(where: kept), let last = scalars.lastIndex(where: kept) else { return "" }
        if first == scalars.startIndex && scalars.index(after: last) == scalars.endIndex { return value }
        return String(scalars[first...last])
    }

    /// Optional text: nil stays nil, anything given follows `text(_:field:limit:)`.
    public static func optionalText(_ value: String?, field: String, limit: Int) throws(DomainError) -> String? {
        guard let value else { return nil }
        return try text(value, field: field, limit: limit)
    }

    /// A list's items trimmed, empty ones dropped, duplicates (in any case) removed, at most `listLimit`.
    public static func list(_ items: [String], field: String) throws(DomainError) -> [String] {
        var seen: Set<String> = []
        let items = items.map(trimmed)
            .filter { !$0.isEmpty && seen.insert($0.lowercased()).inserted }
        guard items.count <= listLimit else { throw .invalid(field, "must list at most \(listLimit) items") }
        return items
    }

    /// A whole number within `range`.
    public static func integer(_ value: String, field: String, in range: ClosedRange<Int>) throws(DomainError) -> Int {
        // Spaces and tabs around the digits are allowed; digits alone, the usual case, are read as they are.
        guard let number = Int(value) ?? Int(value.trimmingCharacters(in: .whitespaces)) else {
            throw outside(range, field: field)
        }
        return try integer(number, field: field, in: range)
    }

    /// A whole number within `range`.
    public static func integer(_ number: Int, field: String, in range: ClosedRange<Int>) throws(DomainError) -> Int {
        guard range.contains(number) else { throw outside(range, field: field) }
        return number
    }

    /// An attendance count: 0 to `attendanceLimit`.
    public static func attendance(_ value: String, field: String = "attendance") throws(DomainError) -> Int {
        try integer(value, field: field, in: 0...attendanceLimit)
    }

    /// An attendance count: 0 to `attendanceLimit`.
    public static func attendance(_ count: Int, field: String = "attendance") throws(DomainError) -> Int {
        try integer(count, field: field, in: 0...attendanceLimit)
    }

    private static func outside(_ range: ClosedRange<Int>, field: String) -> DomainError {
        .invalid(field, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
    }

    /// A UUID in any case, returned lowercase (the form used in stream names).
    public static func uuid(_ value: String, field: String) throws(DomainError) -> String {
        let lowered = value.lowercased()
        var count = 0
        var valid = true
        for byte in lowered.utf8 {
            let isHex =
                (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
            let isDashPosition = count == 8 || count == 13 || count == 18 || count == 23
            valid = valid && (isDashPosition ? byte == UInt8(ascii: "-") : isHex)
            count += 1
        }
        guard valid, count == 36 else {
            throw .invalid(field, "must be a UUID such as 0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21")
        }
        return lowered
    }

    /// An optional UUID: nil stays nil, anything given follows `uuid(_:field:)`.
    public static func optionalUUID(_ value: String?, field: String) throws(DomainError) -> String? {
        guard let value else { return nil }
        return try uuid(value, field: field)
    }

    /// A slug: 2–40 lowercase letters, digits or `-`, starting and ending with a letter or digit.
    /// Upper-case input is lowered first.
    public static func slug(_ value: String, field: String) throws(DomainError) -> String {
        let lowered = value.lowercased()
        let bytes = Array(lowered.utf8)
        let isAlphanumeric = { (b: UInt8) in
            (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
        }
        guard (2...40).contains(bytes.count), let first = bytes.first, let last = bytes.last,
            isAlphanumeric(first), isAlphanumeric(last),
            bytes.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "-") })
        else {
            throw .invalid(
                field,
                "must be 2-40 lowercase letters, digits or '-', starting and ending with a letter or digit"
            )
        }
        return lowered
    }

    /// Languages as codes or names from `Language.all` (`es`, `Polish`), stored as their codes, each once.
    public static func languages(_ items: [String], field: String = "languages") throws(DomainError) -> [String] {
        var codes: [String] = []
        for item in try list(items, field: field) {
            guard let language = Language.lookup(item) else {
                throw .invalid(field, "'\(item)' is not a known language; LANGUAGE LIST shows the codes and names")
            }
            if !codes.contains(language.code) { codes.append(language.code) }
        }
        return codes
    }
}
