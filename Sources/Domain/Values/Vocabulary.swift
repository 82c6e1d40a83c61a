/// Parsing of the small fixed vocabularies (kinds, levels) written as lowercase words joined by `-`.
enum Vocabulary {
    static func parse<Value: RawRepresentable & CaseIterable>(_ text: String, field: String) throws(DomainError)
        -> Value
    where Value.RawValue == String {
        let key = String(text.lowercased().map { $0 == "_" ? "-" : $0 })
        guard let value = Value(rawValue: key) else {
            throw .invalid(field, "must be one of \(Value.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}
