extension Timestamp {
    /// Parses the chain's own form, `YYYY-MM-DDTHH:MM:SS.ffffffZ` (what `iso8601` writes), and
    /// nothing else: a verifier must hash exactly the text it was given.
    public init?(iso8601 text: String) {
        var text = text
        guard let parsed = text.withUTF8({ Self(iso8601UTF8: $0) }) else { return nil }
        self = parsed
    }

    /// Parses the chain's form from its UTF-8 bytes; nil for any other text, including a date
    /// that does not exist (the 30th of February), so that `iso8601` gives back exactly `bytes`.
    init?(iso8601UTF8 bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 27, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            bytes[19] == UInt8(ascii: "."), bytes[26] == UInt8(ascii: "Z")
        else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            let micros = number(20..<26), (1...12).contains(month), (1...31).contains(day), hour < 24,
            minute < 60, second < 60
        else { return nil }
        let days = Self.daysSinceEpoch(year: year, month: month, day: day)
        // Every part but the date is written back as read; the date only if it exists.
        guard Self.civilDate(daysSinceEpoch: days) == (year, month, day) else { return nil }
        self.init(microsecondsSinceEpoch: ((days * 86_400 + hour * 3600 + minute * 60 + second) * 1_000_000) + micros)
    }

    /// Howard Hinnant's days-from-civil algorithm (proleptic Gregorian calendar).
    private static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
