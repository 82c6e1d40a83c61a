/// A refused key, note, checkpoint or proof, with a stable code.
public struct TransparencyLogError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable error code.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// A key, note, checkpoint or proof is not in its documented form.
        public static let malformed = Code(rawValue: "INVALID")
        /// A signature or a proof does not verify.
        public static let unverified = Code(rawValue: "UNVERIFIED")

        public var description: String { rawValue }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The code word, a space, the message.
    public var description: String { "\(code.rawValue) \(message)" }

    static func malformed(_ what: String, _ rule: String) -> TransparencyLogError {
        TransparencyLogError(.malformed, "\(what): \(rule)")
    }
}
