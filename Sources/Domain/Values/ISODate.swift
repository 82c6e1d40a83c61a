public import Foundation

/// A calendar date written `yyyy-mm-dd` (ISO 8601), the form dates take in commands and event data.
///
/// Only real dates in 2000–2099 are accepted, which catches typed-in years such as `0224` or `20245`.
public struct ISODate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The years a date may fall in.
    public static let years = 2000...2099

    public let year: Int
    public let month: Int
    public let day: Int

    /// A date from its parts; nil when they name no real calendar date within `years`.
    public init?(year: Int, month: Int, day: Int) {
        guard Self.years.contains(year), (1...12).contains(month),
            (1...Self.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `yyyy-mm-dd`, refusing anything else with `INVALID <field>`.
    public init(parsing text: String, field: String = "date") throws(DomainError) {
        let bytes = Array(text.utf8)
        let digits = { (range: Range<Int>) -> Int? in
            bytes[range].allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
                ? bytes[range].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) } : nil
        }
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = digits(0..<4), let month = digits(5..<7), let day = digits(8..<10),
            let date = ISODate(year: year, month: month, day: day)
        else {
            throw .invalid(field, "must be a real calendar date yyyy-mm-dd from 2000-01-01 to 2099-12-31")
        }
        self = date
    }

    /// The date at `date`'s instant on the wall calendar of `timeZone` (Chicago's, for "today").
    public init(_ date: Date, timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        let days = Self.dayNumber(year: parts.year ?? 2000, month: parts.month ?? 1, day: parts.day ?? 1)
        self.init(dayNumber: days)
    }

    /// Days since 1970-01-01, for arithmetic.
    public var dayNumber: Int { Self.dayNumber(year: year, month: month, day: day) }

    /// The date `days` later (earlier when negative), clamped to `years`.
    public func adding(days: Int) -> ISODate { ISODate(dayNumber: dayNumber + days) }

    public var description: String {
        func padded(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }

    public static func < (lhs: ISODate, rhs: ISODate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try ISODate(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: String(error.rule))
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private init(dayNumber: Int) {
        let lowest = Self.dayNumber(year: Self.years.lowerBound, month: 1, day: 1)
        let highest = Self.dayNumber(year: Self.years.upperBound, month: 12, day: 31)
        // Civil date from a day count (H. Hinnant's algorithm, proleptic Gregorian calendar).
        let z = min(max(dayNumber, lowest), highest) + 719_468
        let era = z / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        self.year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.month = month
        self.day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
    }

    private static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = y / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

extension TimeZone {
    /// Chicago's wall clock, where the initiative runs: it decides which calendar day an instant
    /// falls on ("today", "overdue", the day an event was recorded).
    public static let chicago = TimeZone(identifier: "America/Chicago") ?? TimeZone(secondsFromGMT: -6 * 3600)!
}
