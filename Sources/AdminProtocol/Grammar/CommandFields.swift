import Domain

/// The `FIELD value` pairs of a command, keyed by the field's stored snake_case name.
///
/// Names match case-insensitively with `-` and `_` alike, and through a few short aliases
/// (`ORG`, `AREA`, `DISTRICT`, `CASE`, `THEME`, `DUE`, `TO`). `EXPECT n` is read on every command.
struct CommandFields {
    private var values: [String: String] = [:]
    /// The stream version the command expects, from `EXPECT n` (`-1`: the stream must not exist).
    private(set) var expectedVersion: Int64?

    /// Short names accepted for stored field names, tried in order against the fields a command takes.
    static let aliases: [String: [String]] = [
        "org": ["owner_org", "lead_org", "assignee_org"],
        "owner": ["owner_org"],
        "lead": ["lead_org"],
        "assignee": ["assignee_org"],
        "area": ["community_area", "community_areas"],
        "areas": ["community_areas"],
        "district": ["police_district"],
        "case": ["case_id"],
        "theme": ["themes"],
        "language": ["languages"],
        "due": ["due_on"],
        "to": ["made_to"],
    ]

    /// Reads `arguments` as pairs; unknown, repeated and value-less fields are refused naming the field.
    init(_ arguments: ArraySlice<String>, allowed: [String]) throws(DomainError) {
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let given = Self.fieldName(arguments[index])
            let field: String
            if given == "expect" || allowed.contains(given) {
                field = given
            } else if let target = Self.aliases[given]?.first(where: allowed.contains) {
                field = target
            } else {
                let known = (allowed + ["expect"]).joined(separator: ", ")
                throw .invalid(given.isEmpty ? "field" : given, "unknown field; expected one of \(known)")
            }
            guard values[field] == nil else { throw .invalid(field, "given twice") }
            guard index + 1 < arguments.endIndex else { throw .invalid(field, "needs a value") }
            values[field] = arguments[index + 1]
            index += 2
        }
        if let expected = values.removeValue(forKey: "expect") {
            guard let version = Int64(expected), version >= -1 else {
                throw .invalid("expect", "must be a stream version: a whole number >= 0, or -1 for a new stream")
            }
            expectedVersion = version
        }
    }

    /// A field's name as typed (`Community-Area`) as the protocol spells it (`community_area`).
    static func fieldName(_ word: String) -> String {
        var bytes = Array(word.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return String(word.lowercased().map { $0 == "-" ? "_" : $0 }) }
        for index in bytes.indices {
            switch bytes[index] {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): bytes[index] += 0x20
            case UInt8(ascii: "-"): bytes[index] = UInt8(ascii: "_")
            default: break
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The first argument, which names the entity, and the pairs after it.
    static func positional(_ arguments: [String], field: String) throws(DomainError) -> (String, ArraySlice<String>) {
        guard let first = arguments.first else { throw .invalid(field, "is required") }
        return (first, arguments.dropFirst())
    }

    func value(_ field: String) -> String? { values[field] }

    func required(_ field: String) throws(DomainError) -> String {
        guard let value = values[field] else { throw .invalid(field, "is required") }
        return value
    }

    func date(_ field: String) throws(DomainError) -> ISODate? {
        guard let value = values[field] else { return nil }
        return try ISODate(parsing: value, field: field)
    }

    func requiredDate(_ field: String) throws(DomainError) -> ISODate {
        try ISODate(parsing: try required(field), field: field)
    }

    /// A new entity's id: the `ID` given (for retries with a client-chosen id), else a fresh one.
    func newID(_ make: () -> String) -> String {
        values["id"] ?? make()
    }

    /// The items of a comma-separated list.
    func list(_ field: String) -> [String]? {
        values[field].map { $0.split(separator: ",").map(String.init) }
    }

    func communityArea(_ field: String = "community_area") throws(DomainError) -> CommunityArea? {
        guard let value = values[field] else { return nil }
        return try CommunityArea(parsing: value, field: field)
    }

    func communityAreas(_ field: String = "community_areas") throws(DomainError) -> [CommunityArea]? {
        guard let names = list(field) else { return nil }
        var areas: [CommunityArea] = []
        for name in try FieldRules.list(names, field: field) {
            areas.append(try CommunityArea(parsing: name, field: field))
        }
        return areas
    }

    func policeDistrict(_ field: String = "police_district") throws(DomainError) -> PoliceDistrict? {
        guard let value = values[field] else { return nil }
        return try PoliceDistrict(parsing: value, field: field)
    }

    func attendance(_ field: String = "attendance") throws(DomainError) -> Int? {
        guard let value = values[field] else { return nil }
        return try FieldRules.attendance(value, field: field)
    }
}
