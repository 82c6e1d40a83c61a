import NIOCore

/// What one parsing step produced.
enum ParseStep {
    /// Nothing complete yet; call again with more bytes.
    case needMoreData
    /// Bytes that make no request were consumed: an empty request (`*0`, `*-1`, a blank line), which Redis
    /// ignores, or the end of a rejected request's bytes.
    case skipped
    /// A complete request's arguments.
    case request([ByteBuffer])
    /// A request over a limit; the parser drops the rest of it before parsing the next one.
    case rejected(RESPDecodingError)
}
