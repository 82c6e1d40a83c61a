import Application
import EventLog
import Foundation

/// Events as JSON: the event argument of `STREAM APPEND` read, and a recorded event written for
/// pub/sub messages.
enum EventJSON {
    /// Reads `{"type": …, "data": {…}, "id"?: uuid, "metadata"?: {…}}`, parsed once into canonical
    /// members. The server's metadata (`Caller.metadata`: actor, org, role, client, correlation,
    /// time) is merged over the client's.
    static func parse(_ text: String, index: Int, metadata serverMetadata: [String: String?]) throws(CaselogError)
        -> NewEvent
    {
        let field = "event \(index)"
        let object: [String: JSONMember]
        do {
            object = try CanonicalJSON.members(ofObject: text)
        } catch {
            throw .invalid(field, "must be a JSON object with type and data (\(error))")
        }
        let allowed: Set<String> = ["type", "data", "id", "metadata"]
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw .invalid("\(field).\(unknown)", "unknown field; expected type, data, id, metadata")
        }
        guard let type = object["type"]?.string else { throw .invalid("\(field).type", "must be a string") }
        guard let data = object["data"], data.kind == .object else {
            throw .invalid("\(field).data", "must be a JSON object")
        }
        var id = UUID.random()
        if let value = object["id"] {
            guard let text = value.string, let parsed = UUID(uuidString: text) else {
                throw .invalid("\(field).id", "must be a UUID")
            }
            id = parsed
        }
        var metadata: [String: String] = [:]
        if let given = object["metadata"] {
            guard given.kind == .object, let members = try? CanonicalJSON.members(ofObject: given.canonical) else {
                throw .invalid("\(field).metadata", "must be a JSON object")
            }
            metadata = members.mapValues(\.canonical)
        }
        for (key, value) in serverMetadata {
            metadata[key] = value.map(CanonicalJSON.quoted) ?? "null"
        }
        do {
            return try NewEvent(
                id: id,
                type: type,
                data: data.canonical,
                metadata: CanonicalJSON.object(canonicalMembers: metadata)
            )
        } catch {
            throw CaselogError(CaselogError(error).code, "\(field).\(error.message)")
        }
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
