/// The protocol version a connection speaks: RESP2 until the client switches with `HELLO 3`.
public enum RESPProtocolVersion: Hashable, Sendable {
    /// RESP2: RESP3-only types are sent downgraded.
    case resp2
    /// RESP3: maps, sets, pushes, nulls, doubles, booleans, verbatim strings and big numbers are sent natively.
    case resp3
}
