import Foundation

/// The data of one event type: its stored name, schema version, and how older schemas are read.
///
/// Every event's data is a JSON object with sorted keys that includes `"schema": N`.
protocol EventBody: Codable, Hashable, Sendable {
    /// The event type as stored in the log, e.g. `CommitmentMade`.
    static var eventType: String { get }
    /// The schema version written today.
    static var schema: Int { get }
    /// Reads data written under an older `schema`; types that never changed have none to read.
    static func upcast(from schema: Int, decoder: any Decoder) throws -> Self
}

extension EventBody {
    static var schema: Int { 1 }

    static func upcast(from schema: Int, decoder: any Decoder) throws -> Self {
        throw SchemaError.unknown(schema)
    }

    /// The stored form of this event.
    var payload: EventPayload { EventPayload(type: Self.eventType, data: EventData.encode(self)) }

    /// Reads a stored event of this type, upcasting older schemas.
    init(payload: EventPayload) throws(DomainError) {
        self = try EventData.decode(Self.self, from: payload.data, recordedOn: payload.recordedOn)
    }
}

/// An event that records something that happened on a day (`opened_on`, `reported_on`, …).
/// Schema 2 carries that day; schema 1 had none, and is read back with the day it was recorded on.
protocol DatedEventBody: EventBody {
    /// The key of the day in the event's data, e.g. `opened_on`.
    static var dayKey: String { get }
}

extension DatedEventBody {
    static var schema: Int { 2 }

    /// Schema 1 is schema 2 without the day, which `EventData.decode` fills in before decoding.
    static func upcast(from schema: Int, decoder: any Decoder) throws -> Self {
        try Self(from: decoder)
    }
}

/// A schema version the running code cannot read.
enum SchemaError: Error {
    case unknown(Int)
}

/// JSON coding of event data: sorted keys, the schema version stamped in, older versions upcast.
enum EventData {
    static func encode<Body: EventBody>(_ body: Body) -> String {
        // Encoding plain strings, whole numbers and lists into JSON does not fail.
        (try? EventJSONEncoder.encode(Stamped(body: body))) ?? "{}"
    }

    static func decode<Body: EventBody>(_: Body.Type, from text: String, recordedOn: ISODate? = nil)
        throws(DomainError) -> Body
    {
        var data = Data(text.utf8)
        if let dated = Body.self as? any DatedEventBody.Type {
            guard let recordedOn else {
                if lacksDay(data, key: dated.dayKey) { throw .invalid(dated.dayKey, "is required") }
                return try decodeStamped(Body.self, from: data)
            }
            data = withDay(data, key: dated.dayKey, day: recordedOn)
        }
        return try decodeStamped(Body.self, from: data)
    }

    private static func decodeStamped<Body: EventBody>(_: Body.Type, from data: Data) throws(DomainError) -> Body {
        do {
            return try JSONDecoder().decode(Stamped<Body>.self, from: data).body
        } catch SchemaError.unknown(let schema) {
            throw .invalid(
                "data",
                "\(Body.eventType) schema \(schema) is not one this version reads (1-\(Body.schema))"
            )
        } catch let error as DecodingError {
            throw unreadable(Body.eventType, error)
        } catch {
            throw .invalid("data", "\(Body.eventType) data is not readable")
        }
    }

    /// What is wrong with a `type` event's data, naming the field (`data.lead_org`).
    static func unreadable(_ type: String, _ error: DecodingError) -> DomainError {
        switch error {
        case .keyNotFound(let key, let context):
            .invalid(field(context.codingPath + [key]), "is missing; \(type) needs it")
        case .valueNotFound(_, let context):
            .invalid(field(context.codingPath), "must not be null in \(type)")
        case .typeMismatch(let expected, let context):
            .invalid(field(context.codingPath), "must be \(kind(of: expected)) in \(type)")
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            .invalid("data", "\(type) data is not a JSON object")
        case .dataCorrupted(let context):
            .invalid(field(context.codingPath), context.debugDescription)
        @unknown default:
            .invalid("data", "\(type) data is not readable")
        }
    }

    /// `data.a.b[2]` for a coding path.
    private static func field(_ path: [any CodingKey]) -> String {
        path.reduce("data") { text, key in
            key.intValue.map { "\(text)[\($0)]" } ?? "\(text).\(key.stringValue)"
        }
    }

    /// How a JSON value of `type` is named in messages.
    private static func kind(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Int.Type, is Int64.Type: "a whole number"
        case is Bool.Type: "true or false"
        case is Double.Type: "a number"
        default: String(describing: type).hasPrefix("Array") ? "a list" : "an object"
        }
    }

    /// `data` with `key` set to `day` when it is an object of schema 1 without that key.
    private static func withDay(_ data: Data, key: String, day: ISODate) -> Data {
        guard var object = schemaOneObject(data), object[key] == nil else { return data }
        object[key] = day.description
        return (try? JSONSerialization.data(withJSONObject: object)) ?? data
    }

    /// Whether `data` is an object of schema 1 without `key`.
    private static func lacksDay(_ data: Data, key: String) -> Bool {
        guard let object = schemaOneObject(data) else { return false }
        return object[key] == nil
    }

    /// `data` as an object when it is one written under schema 1 (no `schema` key or 1).
    private static func schemaOneObject(_ data: Data) -> [String: Any]? {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            (object["schema"] as? Int ?? 1) == 1
        else { return nil }
        return object
    }

    /// The body with the `schema` key beside its own fields.
    private struct Stamped<Wrapped: EventBody>: Codable {
        let body: Wrapped

        enum CodingKeys: String, CodingKey {
            case schema
        }

        init(body: Wrapped) {
            self.body = body
        }

        init(from decoder: any Decoder) throws {
            let schema = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(Int.self, forKey: .schema) ?? 1
            switch schema {
            case Wrapped.schema: body = try Wrapped(from: decoder)
            case 1..<Wrapped.schema: body = try Wrapped.upcast(from: schema, decoder: decoder)
            default: throw SchemaError.unknown(schema)
            }
        }

        func encode(to encoder: any Encoder) throws {
            try body.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(Wrapped.schema, forKey: .schema)
        }
    }
}
