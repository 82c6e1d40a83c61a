import Domain

/// Dates as coordinators write them in spreadsheets: `2025-05-01`, `5/1/2025`, `05/01/25`,
/// `5-1-2025`, `May 1, 2025` and `1 May 2025` (US order: month before day).
enum USDate {
    private static let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]

    /// The date `text` names, or nil.
    static func parse(_ text: String) -> ISODate? {
        if let date = try? ISODate(parsing: text) { return date }
        let numbers = text.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." })
        if numbers.count == 3, let month = Int(numbers[0]), let day = Int(numbers[1]), let year = Int(numbers[2]),
            numbers[2].count == 4 || numbers[2].count == 2
        {
            return ISODate(year: numbers[2].count == 2 ? 2000 + year : year, month: month, day: day)
        }
        let words = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        guard words.count == 3 else { return nil }
        let isMonthFirst = Int(words[0]) == nil
        let (monthWord, dayWord) = isMonthFirst ? (words[0], words[1]) : (words[1], words[0])
        guard monthWord.count >= 3, let month = months.firstIndex(of: String(monthWord.prefix(3))),
            let day = Int(dayWord.filter(\.isNumber)), let year = Int(words[2]), words[2].count == 4
        else { return nil }
        return ISODate(year: year, month: month + 1, day: day)
    }
}
