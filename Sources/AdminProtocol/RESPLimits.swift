/// Size limits the request decoder enforces before buffering anything past them.
public struct RESPLimits: Hashable, Sendable {
    /// The most bytes one request may take on the wire, headers included (default 4 MiB).
    public var maxRequestBytes: Int
    /// The most arguments one request may have (default 1 Mi, like Redis).
    public var maxArguments: Int
    /// The longest inline command line, without its line ending (default 64 KiB).
    public var maxInlineLength: Int
    /// The longest single bulk argument (default 4 MiB).
    public var maxBulkLength: Int

    /// Limits with the given values; the defaults suit the admin protocol.
    public init(
        maxRequestBytes: Int = 4 * 1024 * 1024,
        maxArguments: Int = 1024 * 1024,
        maxInlineLength: Int = 64 * 1024,
        maxBulkLength: Int = 4 * 1024 * 1024
    ) {
        self.maxRequestBytes = maxRequestBytes
        self.maxArguments = maxArguments
        self.maxInlineLength = maxInlineLength
        self.maxBulkLength = maxBulkLength
    }
}
