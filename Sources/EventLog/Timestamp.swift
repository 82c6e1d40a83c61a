public import Foundation

/// A UTC instant with microsecond precision, as PostgreSQL's `timestamptz` stores it.
///
/// Kept as an integer so that hashing and verifying never round through floating point.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public let microsecondsSinceEpoch: Int64

    public init(microsecondsSinceEpoch: Int64) {
        self.microsecondsSinceEpoch = microsecondsSinceEpoch
    }

    /// `YYYY-MM-DDTHH:MM:SS.ffffffZ`, always six fractional digits: the form the hash chain uses.
    /// Written digit by digit into one string: every event's hash and every export line needs it.
    public var iso8601: String {
        let (seconds, micros) = microsecondsSinceEpoch.floorDividedAndModulo(by: 1_000_000)
        let (days, secondOfDay) = seconds.floorDividedAndModulo(by: 86_400)
        let (year, month, day) = Self.civilDate(daysSinceEpoch: days)
        guard (0...9999).contains(year) else {
            return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):"
                + "\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(micros, 6))Z"
        }
        return String(unsafeUninitializedCapacity: 27) { output in
            func put(_ value: Int64, width: Int, at start: Int) {
                var value = value
                for index in stride(from: start + width - 1, through: start, by: -1) {
                    output[index] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            put(year, width: 4, at: 0)
            output[4] = UInt8(ascii: "-")
            put(month, width: 2, at: 5)
            output[7] = UInt8(ascii: "-")
            put(day, width: 2, at: 8)
            output[10] = UInt8(ascii: "T")
            put(secondOfDay / 3600, width: 2, at: 11)
            output[13] = UInt8(ascii: ":")
            put(secondOfDay / 60 % 60, width: 2, at: 14)
            output[16] = UInt8(ascii: ":")
            put(secondOfDay % 60, width: 2, at: 17)
            output[19] = UInt8(ascii: ".")
            put(micros, width: 6, at: 20)
            output[26] = UInt8(ascii: "Z")
            return 27
        }
    }

    public var description: String { iso8601 }

    /// The same instant as a Foundation date.
    public var date: Date { Date(timeIntervalSince1970: Double(microsecondsSinceEpoch) / 1_000_000) }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }

    /// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
    static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

private func pad(_ value: Int64, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

extension Int64 {
    fileprivate func floorDividedAndModulo(by divisor: Int64) -> (Int64, Int64) {
        let remainder = ((self % divisor) + divisor) % divisor
        return ((self - remainder) / divisor, remainder)
    }
}

extension Timestamp {
    /// The current wall-clock time, truncated to microseconds.
    public static var now: Timestamp {
        Timestamp(microsecondsSinceEpoch: Int64((Date().timeIntervalSince1970 * 1_000_000).rounded(.down)))
    }
}
