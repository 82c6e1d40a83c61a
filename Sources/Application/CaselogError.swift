public import Domain
public import EventLog

/// A refused or failed request, the one error every caller of the application sees.
///
/// Its code is one of the protocol's documented words; the message names the field and the rule
/// and is safe to show a client (no secrets, no SQL). Store and domain errors map onto it here
/// and nowhere else. The protocol answers it as `<CODE> <message>`.
public struct CaselogError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable error code, spelled as the protocol spells it.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The wire word, e.g. `WRONGVERSION`.
        public let rawValue: String

        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// A malformed or unknown command, or an unexpected failure (details go to the server log).
        public static let err = Code("ERR")
        /// The request's bytes break RESP framing.
        public static let proto = Code("PROTO")
        /// The command needs an authenticated connection, or the token is not (or no longer) valid.
        public static let noAuth = Code("NOAUTH")
        /// The authenticated user's role may not run the command.
        public static let noPerm = Code("NOPERM")
        /// A field is missing, malformed or breaks a rule.
        public static let invalid = Code("INVALID")
        /// The entity, stream, projection or position does not exist.
        public static let notFound = Code("NOTFOUND")
        /// The stream's version is not the one the request expected.
        public static let wrongVersion = Code("WRONGVERSION")
        /// What the request creates exists already, or the stream kept changing concurrently.
        public static let conflict = Code("CONFLICT")
        /// The request is over a configured size limit.
        public static let tooLarge = Code("TOOLARGE")
        /// The database cannot be reached, or the server is not running what the request needs.
        public static let unavailable = Code("UNAVAILABLE")

        /// Every code, in the order the protocol documents them.
        public static let all: [Code] = [
            .err, .proto, .noAuth, .noPerm, .invalid, .notFound, .wrongVersion, .conflict, .tooLarge, .unavailable,
        ]

        public var description: String { rawValue }
    }

    public let code: Code
    /// The field the error is about, when it is about one (the message then starts with `<field>: `).
    public let field: String?
    public let message: String

    /// An error with `code` and `message`; `field` names the field the message is about, if any.
    public init(_ code: Code, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    /// The protocol form: the code word, a space, the message.
    public var description: String { "\(code.rawValue) \(message)" }

    /// An `INVALID` error naming the field and the rule it broke.
    public static func invalid(_ field: String, _ rule: String) -> CaselogError {
        CaselogError(.invalid, "\(field): \(rule)", field: field)
    }

    /// A `WRONGVERSION` error: the command expected `stream` at version `expected`, and it is at `actual`.
    public static func wrongVersion(stream: StreamName, expected: StreamVersion, actual: StreamVersion) -> CaselogError
    {
        CaselogError(.wrongVersion, "stream \(stream): expected version \(expected), actual \(actual)")
    }

    /// An `ERR` error for a request the protocol cannot make sense of.
    public static func syntax(_ message: String) -> CaselogError { CaselogError(.err, message) }

    /// The connection has not authenticated.
    public static let authenticationRequired = CaselogError(.noAuth, "authentication required; use AUTH <token>")

    /// The token is unknown or revoked, or its user disabled; it never says which.
    public static let invalidToken = CaselogError(.noAuth, "invalid token, or the user is disabled")

    /// `error` itself when it is a `CaselogError`; log and domain errors mapped; anything else a plain `ERR`.
    public static func from(_ error: any Error) -> CaselogError {
        switch error {
        case let error as CaselogError: error
        case let error as EventLogError: CaselogError(error)
        case let error as DomainError: CaselogError(error)
        default: CaselogError(.err, "the command failed unexpectedly")
        }
    }

    /// An event-log error with the same code and message (a code the protocol does not document becomes `ERR`).
    public init(_ error: EventLogError) {
        let code = Code.all.first { $0.rawValue == error.code.rawValue } ?? .err
        self.init(code, error.message, field: Self.field(in: error.message))
    }

    /// A domain refusal with the same code and message.
    public init(_ error: DomainError) {
        let code: Code =
            switch error.code {
            case .invalid: .invalid
            case .notFound: .notFound
            case .noPermission: .noPerm
            case .conflict: .conflict
            }
        self.init(code, error.message, field: Self.field(in: error.message))
    }

    /// The field a `<field>: <rule>` message names, if it has that form.
    private static func field(in message: String) -> String? {
        guard let colon = message.firstIndex(of: ":"), colon > message.startIndex,
            !message[..<colon].contains(" ")
        else { return nil }
        return String(message[..<colon])
    }
}

extension StreamName {
    /// A stream name a request was given; an invalid one is `INVALID stream: …`.
    public init(request text: String) throws(CaselogError) {
        do {
            self = try StreamName(text)
        } catch {
            throw CaselogError(error)
        }
    }
}
