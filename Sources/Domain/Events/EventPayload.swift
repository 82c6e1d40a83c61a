/// One stored event as the domain sees it: type and data (a JSON object text).
public struct EventPayload: Sendable, Hashable {
    public let type: String
    public let data: String

    public init(type: String, data: String) {
        self.type = type
        self.data = data
    }
}
