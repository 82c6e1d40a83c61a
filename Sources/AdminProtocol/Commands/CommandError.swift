public import Domain
public import EventLog

/// A refused or failed command, sent as a RESP error whose first word is a stable code.
///
/// Codes: `ERR`, `PROTO`, `NOAUTH`, `NOPERM`, `INVALID`, `NOTFOUND`, `WRONGVERSION`, `CONFLICT`,
/// `TOOLARGE`, `UNAVAILABLE`. The message names what was wrong; it never echoes secrets.
public struct CommandError: Error, Hashable, Sendable, CustomStringConvertible {
    public let code: String
    public let message: String

    public init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code) \(message)" }

    /// The reply that carries this error.
    public var reply: RESPValue { .error(description) }

    public static func invalid(_ field: String, _ rule: String) -> CommandError {
        CommandError("INVALID", "\(field): \(rule)")
    }

    public static func syntax(_ message: String) -> CommandError { CommandError("ERR", message) }

    public static let authenticationRequired = CommandError("NOAUTH", "authentication required; use AUTH <token>")

    /// `error` itself when it is a `CommandError`; the code of log and domain errors; else `ERR`.
    public static func from(_ error: any Error) -> CommandError {
        switch error {
        case let error as CommandError: error
        case let error as EventLogError: CommandError(error)
        case let error as DomainError: CommandError(error)
        default: CommandError("ERR", "the command failed unexpectedly")
        }
    }

    public init(_ error: EventLogError) {
        self.init(error.code.rawValue, error.message)
    }

    public init(_ error: DomainError) {
        self.init(error.code.rawValue, error.message)
    }
}

extension StreamName {
    /// A stream name a command was given; an invalid one is `INVALID stream: …`.
    init(command text: String) throws(CommandError) {
        do {
            self = try StreamName(text)
        } catch {
            throw CommandError(error)
        }
    }
}
