/// An error reply of the server, kept whole: its first word is the protocol's stable code
/// (`NOAUTH`, `INVALID`, …), the rest says what was wrong.
public struct ServerRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    public let code: String
    public let description: String

    public init(_ message: String) {
        self.code = String(message.prefix { $0 != " " })
        self.description = message
    }

    /// The exit code a command-line client ends with: 3 when the caller is not allowed or the
    /// database is unavailable (nothing the request itself can fix), 1 when a rule refused it.
    public var exitCode: Int32 {
        ["NOAUTH", "NOPERM", "UNAVAILABLE"].contains(code) ? 3 : 1
    }
}
