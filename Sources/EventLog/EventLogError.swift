/// An error of the event log with a stable code that clients match on.
///
/// The code maps one-to-one onto the admin protocol's error words; the message names the
/// field and the rule and never carries secrets or SQL.
public struct EventLogError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable error code, spelled as the protocol spells it.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// A request failed validation: a field is missing, malformed or out of range.
        public static let invalid = Code(rawValue: "INVALID")
        /// The stream's current version is not the one the append expected.
        public static let wrongVersion = Code(rawValue: "WRONGVERSION")
        /// An event id is already used by an event with other content.
        public static let conflict = Code(rawValue: "CONFLICT")
        /// A request is over a configured size limit.
        public static let tooLarge = Code(rawValue: "TOOLARGE")
        /// A stream, event or position does not exist.
        public static let notFound = Code(rawValue: "NOTFOUND")
        /// The database cannot be reached or the store is shutting down.
        public static let unavailable = Code(rawValue: "UNAVAILABLE")
        /// An unexpected failure; details go to the server log, not the client.
        public static let `internal` = Code(rawValue: "ERR")

        public var description: String { rawValue }
    }

    public let code: Code
    public let message: String
    /// In an atomic append of many requests, the index of the request that was refused.
    public private(set) var request: Int?
    /// The stream a `WRONGVERSION` is about: the appended stream, or one the append only read (a
    /// failed `StreamPrecondition`).
    public private(set) var stream: StreamName?

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// This error as the refusal of request `index` of an atomic append.
    public func refusing(request index: Int) -> EventLogError {
        var error = self
        error.request = index
        return error
    }

    /// The protocol form: the code word, a space, the message.
    public var description: String { "\(code.rawValue) \(message)" }

    /// An `INVALID` error naming the field and the rule it broke.
    public static func invalid(_ field: String, _ rule: String) -> EventLogError {
        EventLogError(.invalid, "\(field): \(rule)")
    }

    /// A `WRONGVERSION` error carrying the expected and the actual stream version.
    public static func wrongVersion(
        stream: StreamName,
        expected: ExpectedVersion,
        actual: StreamVersion
    ) -> EventLogError {
        let actualText = actual < 0 ? "no-stream" : String(actual)
        var error = EventLogError(.wrongVersion, "stream \(stream) expected version \(expected), actual \(actualText)")
        error.stream = stream
        return error
    }
}
