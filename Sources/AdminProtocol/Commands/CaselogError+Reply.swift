public import Application

extension CaselogError {
    /// The reply that carries this error: `<CODE> <message>` as a RESP error.
    public var reply: RESPValue { .error(description) }
}
