public import NIOCore

/// A reply value in the Redis serialization protocol, covering RESP2 and RESP3 types.
///
/// RESP3-only types are downgraded by ``RESPEncoder`` for RESP2 clients, exactly as Redis does.
public enum RESPValue: Hashable, Sendable {
    /// `+OK`: a short status text; CR and LF are sent as spaces.
    case simpleString(String)
    /// `-ERR …`: the whole error message including its code, e.g. `WRONGVERSION stream x expected 1, actual 2`.
    case error(String)
    /// `:42`.
    case integer(Int64)
    /// `$3\r\nabc`: binary-safe bytes.
    case bulkString(ByteBuffer)
    /// RESP3 `_`; RESP2 null bulk string `$-1`.
    case null
    /// `*n`.
    case array([RESPValue])
    /// RESP3 `%n` with entries in order; RESP2 flat array of key, value, key, value, ….
    case map([MapEntry])
    /// RESP3 `~n`; RESP2 array.
    case set([RESPValue])
    /// RESP3 `>n` out-of-band push; RESP2 array.
    case push([RESPValue])
    /// RESP3 `,1.5` (also `inf`, `-inf`, `nan`); RESP2 bulk string of the same text. As with `Double`, nan ≠ nan.
    case double(Double)
    /// RESP3 `#t`/`#f`; RESP2 integer 1/0.
    case boolean(Bool)
    /// RESP3 `=` with a three-byte format such as `txt` or `mkd`; RESP2 bulk string of the text.
    case verbatimString(format: String, text: String)
    /// RESP3 `(` arbitrary-precision integer given as its decimal digits; RESP2 bulk string.
    case bigNumber(String)

    /// One key/value entry of a ``RESPValue/map(_:)``.
    public struct MapEntry: Hashable, Sendable {
        /// The entry's key; RESP allows any value here, usually a bulk or simple string.
        public var key: RESPValue
        /// The value stored under ``key``.
        public var value: RESPValue

        /// An entry mapping `key` to `value`.
        public init(_ key: RESPValue, _ value: RESPValue) {
            self.key = key
            self.value = value
        }
    }
}

extension RESPValue {
    /// The status reply `+OK`.
    public static let ok = RESPValue.simpleString("OK")

    /// The status reply `+PONG`.
    public static let pong = RESPValue.simpleString("PONG")

    /// A bulk string holding the UTF-8 bytes of `string`.
    public static func bulk(_ string: String) -> RESPValue {
        .bulkString(ByteBuffer(string: string))
    }

    /// An array of bulk strings, one for each of `strings`.
    public static func bulkArray(_ strings: [String]) -> RESPValue {
        .array(strings.map(bulk))
    }

    /// A map built from ordered key/value pairs, e.g. `.map(pairs: [(.bulk("a"), .integer(1))])`.
    public static func map(pairs: [(RESPValue, RESPValue)]) -> RESPValue {
        .map(pairs.map { MapEntry($0.0, $0.1) })
    }
}
