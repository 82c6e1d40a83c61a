public import EventLog
public import NIOCore

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

extension RESPEncoder {
    /// Writes `.array(events.map(RESPValue.event))` byte for byte, without building the values:
    /// a page of `LOG READ` holds up to 10,000 events, and making (then freeing) twenty values
    /// for each cost more than reading them from the database.
    public static func encodeEvents(
        _ events: [RecordedEvent],
        protocolVersion: RESPProtocolVersion,
        into buffer: inout ByteBuffer
    ) {
        let map: StaticString = protocolVersion == .resp3 ? "%10\r\n" : "*20\r\n"
        writeHeader("*", events.count, into: &buffer)
        for event in events {
            buffer.writeStaticString(map)
            buffer.writeStaticString("$8\r\nposition\r\n")
            writeHeader(":", event.position, into: &buffer)
            buffer.writeStaticString("$6\r\nstream\r\n")
            writeBulk(event.stream, into: &buffer)
            buffer.writeStaticString("$7\r\nversion\r\n")
            writeHeader(":", event.version, into: &buffer)
            buffer.writeStaticString("$2\r\nid\r\n$36\r\n")
            buffer.writeString(event.id.lowercasedString)
            buffer.writeStaticString("\r\n$4\r\ntype\r\n")
            writeBulk(event.type, into: &buffer)
            buffer.writeStaticString("$4\r\ndata\r\n")
            writeBulk(event.data, into: &buffer)
            buffer.writeStaticString("$8\r\nmetadata\r\n")
            writeBulk(event.metadata, into: &buffer)
            buffer.writeStaticString("$11\r\nrecorded_at\r\n")
            writeBulk(event.recordedAt.iso8601, into: &buffer)
            buffer.writeStaticString("$9\r\nprev_hash\r\n")
            writeHexBulk(event.previousHash, into: &buffer)
            buffer.writeStaticString("$4\r\nhash\r\n")
            writeHexBulk(event.hash, into: &buffer)
        }
    }

    private static func writeBulk(_ text: String, into buffer: inout ByteBuffer) {
        writeHeader("$", text.utf8.count, into: &buffer)
        buffer.writeString(text)
        buffer.writeStaticString("\r\n")
    }

    /// `bytes` as a bulk string of lowercase hex, written in place.
    private static func writeHexBulk(_ bytes: [UInt8], into buffer: inout ByteBuffer) {
        writeHeader("$", bytes.count * 2, into: &buffer)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: bytes.count * 2) { output in
            Hex.write(bytes, into: output)
            return bytes.count * 2
        }
        buffer.writeStaticString("\r\n")
    }
}
