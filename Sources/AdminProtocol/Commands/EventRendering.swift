public import EventLog

extension RESPValue {
    /// An event as a map: position, stream, version, id, type, data, metadata, recorded_at, prev_hash, hash.
    public static func event(_ event: RecordedEvent) -> RESPValue {
        .map(pairs: [
            (.bulk("position"), .integer(event.position)),
            (.bulk("stream"), .bulk(event.stream)),
            (.bulk("version"), .integer(event.version)),
            (.bulk("id"), .bulk(event.id.lowercasedString)),
            (.bulk("type"), .bulk(event.type)),
            (.bulk("data"), .bulk(event.data)),
            (.bulk("metadata"), .bulk(event.metadata)),
            (.bulk("recorded_at"), .bulk(event.recordedAt.iso8601)),
            (.bulk("prev_hash"), .bulk(Hex.encode(event.previousHash))),
            (.bulk("hash"), .bulk(Hex.encode(event.hash))),
        ])
    }

    /// Where an append landed.
    public static func appendResult(_ result: AppendResult) -> RESPValue {
        .map(pairs: [
            (.bulk("stream"), .bulk(result.stream.rawValue)),
            (.bulk("first_version"), .integer(result.firstVersion)),
            (.bulk("last_version"), .integer(result.lastVersion)),
            (.bulk("positions"), .array(result.positions.map(RESPValue.integer))),
            (.bulk("duplicate"), .boolean(result.wasDuplicate)),
        ])
    }
}
