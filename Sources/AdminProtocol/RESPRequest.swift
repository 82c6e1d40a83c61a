public import NIOCore

/// What the request decoder produces for each request: a command to run, or a refusal to answer.
public enum RESPRequest: Sendable, Equatable {
    /// A complete request's arguments, the command name first.
    case command([ByteBuffer])
    /// A request over a ``RESPLimits`` value, refused with a `TOOLARGE` error as soon as the limit was seen.
    ///
    /// Answer it, in order, with the error's ``RESPDecodingError/message``. The decoder drops the rest of the
    /// request as it arrives, without holding it, and then decodes the next request: the connection stays usable.
    case rejected(RESPDecodingError)
}
