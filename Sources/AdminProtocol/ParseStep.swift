import NIOCore

/// What one parsing step produced.
enum ParseStep {
    /// Nothing complete yet; call again with more bytes.
    case needMoreData
    /// An empty request (`*0`, `*-1`, a blank line) was consumed; Redis ignores these.
    case skipped
    /// A complete request's arguments.
    case request([ByteBuffer])
}
