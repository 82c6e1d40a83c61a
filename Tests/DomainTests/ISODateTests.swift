import Domain
import Foundation
import Testing

@Suite struct ISODateTests {
    @Test(arguments: ["2024-02-29", "2000-01-01", "2099-12-31", "2025-03-14"])
    func realDatesParse(text: String) throws {
        #expect(try ISODate(parsing: text).description == text)
    }

    @Test(arguments: [
        "2023-02-29", "2025-04-31", "2025-13-01", "2025-00-10", "2025-1-01", "25-01-01", "1999-12-31", "2100-01-01",
        "2025/01/01", "2025-01-01T00:00", " 2025-01-01", "", "２０２５-01-01",
    ])
    func otherTextIsRefusedNamingTheField(text: String) {
        #expect(
            throws: DomainError.invalid(
                "due_on",
                "must be a real calendar date yyyy-mm-dd from 2000-01-01 to 2099-12-31"
            )
        ) { try ISODate(parsing: text, field: "due_on") }
    }

    @Test func arithmeticAndOrderFollowTheCalendar() throws {
        let date = try ISODate(parsing: "2024-02-28")
        #expect(date.adding(days: 1).description == "2024-02-29")
        #expect(date.adding(days: 2).description == "2024-03-01")
        #expect(date.adding(days: 366).description == "2025-02-28")
        #expect(date.adding(days: -59).description == "2023-12-31")
        #expect(try ISODate(parsing: "2000-01-01").dayNumber == 10957)
        #expect(try ISODate(parsing: "2024-12-31") < ISODate(parsing: "2025-01-01"))
        #expect(ISODate(year: 2025, month: 2, day: 29) == nil)
    }

    @Test func todayIsTheWallCalendarDateInTheGivenTimeZone() throws {
        // 2025-03-15 03:00 UTC is still the 14th in Chicago.
        let instant = Date(timeIntervalSince1970: 1_742_007_600)
        #expect(ISODate(instant, timeZone: TimeZone(identifier: "America/Chicago")!).description == "2025-03-14")
        #expect(ISODate(instant, timeZone: TimeZone(identifier: "UTC")!).description == "2025-03-15")
    }

    @Test func codableAsItsText() throws {
        let date = try ISODate(parsing: "2025-03-14")
        let data = try JSONEncoder().encode([date])
        #expect(String(decoding: data, as: UTF8.self) == #"["2025-03-14"]"#)
        #expect(try JSONDecoder().decode([ISODate].self, from: data) == [date])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([ISODate].self, from: Data(#"["2025-02-30"]"#.utf8))
        }
    }
}
