import Domain
import EventLog
import Foundation
import ReadModels

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

/// The domain events of a batch with their lineage, decoded once for a projection.
enum DomainEvents {
    /// Decodes the events `relevant` selects; an unreadable one is a `ProjectionFailure` at its position.
    static func decode(_ events: [RecordedEvent], where relevant: (RecordedEvent) -> Bool) throws(ProjectionFailure)
        -> [(event: DomainEvent, type: String, origin: EventOrigin)]
    {
        var days = ChicagoDays()
        var decoded: [(event: DomainEvent, type: String, origin: EventOrigin)] = []
        for event in events where relevant(event) {
            let id = event.id.lowercasedString
            let recordedOn = days.day(of: event.recordedAt)
            let domainEvent: DomainEvent?
            do {
                domainEvent = try DomainEvent(EventPayload(type: event.type, data: event.data, recordedOn: recordedOn))
            } catch {
                throw ProjectionFailure(position: event.position, eventID: id, reason: error.message)
            }
            guard let domainEvent else { continue }
            let origin = EventOrigin(
                position: event.position,
                eventID: id,
                stream: event.stream,
                recordedOn: recordedOn
            )
            decoded.append((domainEvent, event.type, origin))
        }
        return decoded
    }
}
