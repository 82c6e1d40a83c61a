import Application
import EventLog
import Foundation

/// Events as JSON: the event argument of `STREAM APPEND` read, and a recorded event written for
/// pub/sub messages.
enum EventJSON {
    /// Reads `{"type": …, "data": {…}, "id"?: uuid, "metadata"?: {…}}`. The server's metadata
    /// (`Caller.metadata`: actor, org, role, client, correlation, time) is merged over the client's.
    static func parse(_ text: String, index: Int, metadata serverMetadata: [String: String?]) throws(CaselogError)
        -> NewEvent
    {
        let field = "event \(index)"
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw .invalid(field, "must be a JSON object with type and data")
        }
        let allowed: Set<String> = ["type", "data", "id", "metadata"]
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw .invalid("\(field).\(unknown)", "unknown field; expected type, data, id, metadata")
        }
        guard let type = object["type"] as? String else { throw .invalid("\(field).type", "must be a string") }
        guard let data = object["data"] as? [String: Any] else {
            throw .invalid("\(field).data", "must be a JSON object")
        }
        var id = UUID.random()
        if let value = object["id"] {
            guard let text = value as? String, let parsed = UUID(uuidString: text) else {
                throw .invalid("\(field).id", "must be a UUID")
            }
            id = parsed
        }
        var metadata = (object["metadata"] as? [String: Any]) ?? [:]
        if object["metadata"] != nil, object["metadata"] as? [String: Any] == nil {
            throw .invalid("\(field).metadata", "must be a JSON object")
        }
        for (key, value) in serverMetadata {
            metadata[key] = value ?? NSNull()
        }
        do {
            return try NewEvent(id: id, type: type, data: serialize(data), metadata: serialize(metadata))
        } catch {
            throw CaselogError(CaselogError(error).code, "\(field).\(error.message)")
        }
    }

    private static func serialize(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// A recorded event as one line of JSON, fields as in the event map (`RESPValue.event`):
    /// position, stream, version, id, type, data and metadata (the stored JSON objects themselves),
    /// recorded_at, prev_hash, hash.
    static func render(_ event: RecordedEvent) -> String {
        let quoted = CanonicalJSON.quoted
        return #"{"position":\#(event.position),"stream":\#(quoted(event.stream)),"version":\#(event.version),"#
            + #""id":"\#(event.id.lowercasedString)","type":\#(quoted(event.type)),"#
            + #""data":\#(event.data),"metadata":\#(event.metadata),"#
            + #""recorded_at":"\#(event.recordedAt.iso8601)","prev_hash":"\#(Hex.encode(event.previousHash))","#
            + #""hash":"\#(Hex.encode(event.hash))"}"#
    }
}
