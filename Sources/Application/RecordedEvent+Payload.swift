import Domain
import EventLog

extension RecordedEvent {
    /// The event as the domain reads it, with the Chicago day it was recorded on.
    var payload: EventPayload {
        EventPayload(type: type, data: data, recordedOn: ISODate(recordedAt.date, timeZone: .chicago))
    }
}
