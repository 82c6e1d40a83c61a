import Domain
import Foundation

/// A column an import understands: the protocol field it fills, the header names coordinators
/// give it, and how a cell's text becomes the field's value.
public struct ImportField: Sendable {
    /// How a cell is read.
    public enum Value: Sendable {
        /// Text as written (trimmed).
        case text
        /// A date, as `2025-05-01` or in the usual US forms (`5/1/2025`, `05/01/25`, `May 1, 2025`).
        case date
        /// A whole number, 0 or more (`1,200` too).
        case count
        /// A community area by number or name.
        case area
        /// Community areas by number or name, separated by commas or semicolons.
        case areas
        /// A police district by number or name.
        case district
        /// An activity kind, as written in the protocol or in words (`Listening Session`).
        case activityKind
        /// Items separated by commas or semicolons.
        case list
    }

    /// The protocol's field name, e.g. `occurred_on`.
    public let name: String
    /// Header names that mean this field besides its own, in normalized form (`ImportField.normalize`).
    public let synonyms: [String]
    public let value: Value
    public let isRequired: Bool

    init(_ name: String, _ value: Value = .text, required: Bool = false, synonyms: [String] = []) {
        self.name = name
        self.value = value
        self.isRequired = required
        self.synonyms = synonyms
    }

    /// A header as compared: lowercase, with runs of spaces, hyphens, dots and underscores as one
    /// underscore, and no leading or trailing ones (`Community Area` → `community_area`).
    public static func normalize(_ header: String) -> String {
        var result = ""
        var pendingSeparator = false
        for character in header.lowercased() {
            if character.isLetter || character.isNumber {
                if pendingSeparator, !result.isEmpty { result.append("_") }
                pendingSeparator = false
                result.append(character)
            } else {
                pendingSeparator = true
            }
        }
        return result
    }

    /// The cell `text` as the protocol's value for this field; nil when the cell is empty.
    func read(_ text: String) throws(ImportField.Refusal) -> String? {
        let text = FieldRules.trimmed(text)
        guard !text.isEmpty else { return nil }
        switch value {
        case .text:
            return text
        case .date:
            guard let date = USDate.parse(text) else {
                throw Refusal("'\(text)' is not a date; write 2025-05-01 or 5/1/2025")
            }
            return date.description
        case .count:
            let digits = text.filter { $0 != "," && $0 != " " }
            guard let number = Int(digits), number >= 0 else {
                throw Refusal("'\(text)' is not a whole number of 0 or more")
            }
            return String(number)
        case .area:
            return String(try Self.area(text).number)
        case .areas:
            return try Self.items(text).map { item throws(Refusal) in String(try Self.area(item).number) }
                .joined(separator: ",")
        case .district:
            do {
                return String(try PoliceDistrict(parsing: text, field: name).number)
            } catch {
                throw Refusal(Self.rule(of: error))
            }
        case .activityKind:
            let key = String(text.lowercased().map { $0 == " " || $0 == "_" ? "-" : $0 })
            do {
                return try ActivityKind(parsing: key, field: name).rawValue
            } catch {
                throw Refusal(Self.rule(of: error))
            }
        case .list:
            return Self.items(text).joined(separator: ",")
        }
    }

    /// Why a cell was refused.
    public struct Refusal: Error, Sendable {
        public let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    private static func area(_ text: String) throws(Refusal) -> CommunityArea {
        do {
            return try CommunityArea(parsing: text)
        } catch {
            throw Refusal(rule(of: error))
        }
    }

    private static func items(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0 == ";" })
            .map { FieldRules.trimmed(String($0)) }
            .filter { !$0.isEmpty }
    }

    /// The rule of a domain refusal, without the field it names (the report names the column).
    private static func rule(of error: DomainError) -> String {
        let message = error.message
        guard let colon = message.range(of: ": ") else { return message }
        return String(message[colon.upperBound...])
    }
}
