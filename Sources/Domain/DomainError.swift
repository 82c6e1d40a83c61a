/// A refused domain command: a stable code plus a message naming the field and the rule.
public struct DomainError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable error codes shared with the admin protocol.
    public enum Code: String, Sendable, Hashable {
        case invalid = "INVALID"
        case notFound = "NOTFOUND"
        case noPermission = "NOPERM"
        case conflict = "CONFLICT"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue) \(message)" }

    /// An `INVALID` refusal naming the field and the rule it broke.
    public static func invalid(_ field: String, _ rule: String) -> DomainError {
        DomainError(.invalid, "\(field): \(rule)")
    }

    /// A `NOTFOUND` refusal: the entity named by `field` does not exist.
    public static func notFound(_ field: String, _ rule: String) -> DomainError {
        DomainError(.notFound, "\(field): \(rule)")
    }

    /// A `NOPERM` refusal: the actor may not act on what `field` names.
    public static func noPermission(_ field: String, _ rule: String) -> DomainError {
        DomainError(.noPermission, "\(field): \(rule)")
    }

    /// A `CONFLICT` refusal: what `field` names already exists.
    public static func conflict(_ field: String, _ rule: String) -> DomainError {
        DomainError(.conflict, "\(field): \(rule)")
    }

    /// The field the message names (the text before the first `:`).
    public var field: Substring { message.prefix { $0 != ":" } }

    /// The rule the message states (the text after the field and its `: `).
    public var rule: Substring { message.dropFirst(field.count).drop { $0 == ":" || $0 == " " } }
}
