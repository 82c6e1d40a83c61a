import Domain
import EventLog
import Foundation

/// The Chicago calendar day of event timestamps, cached by hour: time-zone changes fall on
/// hour boundaries, and the events of a batch share a few hours at most.
struct ChicagoDays {
    private var days: [Int64: ISODate] = [:]

    mutating func day(of time: Timestamp) -> ISODate {
        let hour = time.microsecondsSinceEpoch / 3_600_000_000
        if let day = days[hour] { return day }
        let day = ISODate(time.date, timeZone: .chicago)
        days[hour] = day
        return day
    }
}
