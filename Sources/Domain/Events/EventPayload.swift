/// One stored event as the domain sees it: type, data (a JSON object text) and, when read from the
/// log, the Chicago day it was recorded on (events written before they carried their own day take it).
public struct EventPayload: Sendable, Hashable {
    public let type: String
    public let data: String
    /// The day the event was recorded on; nil for an event not yet recorded.
    public let recordedOn: ISODate?

    public init(type: String, data: String, recordedOn: ISODate? = nil) {
        self.type = type
        self.data = data
        self.recordedOn = recordedOn
    }
}
