/// Which kind of stream holds which events of the domain, so that an event appended around the
/// domain's commands (a raw `STREAM APPEND`) is one its readers can read.
extension DomainEvent {
    /// The stream kinds the domain writes, each with the prefix of its event types.
    static let streamKinds: [(kind: String, typePrefix: String)] = [
        ("org", "Organization"), ("case", "Case"), ("activity", "Activity"), ("commitment", "Commitment"),
        ("followup", "FollowUp"), ("theme", "Theme"),
    ]

    /// Checks an event appended directly to a stream of `kind` (`case` of `case-…`): an event of a
    /// domain type, or any event on a domain stream, must be one the domain reads from that kind
    /// of stream, its data as the domain's decoders read it. Other events pass unchecked.
    public static func validate(_ payload: EventPayload, onStreamOfKind kind: some StringProtocol)
        throws(DomainError)
    {
        let stream = streamKinds.first { $0.kind == kind }
        let owner = streamKinds.first { payload.type.hasPrefix($0.typePrefix) }
        switch (stream, owner) {
        case (nil, nil):
            return
        case (let stream?, nil):
            throw .invalid(
                "type",
                "\(payload.type) is not an event of \(stream.kind)-… streams (\(stream.typePrefix)…)"
            )
        case (_, let owner?) where owner.kind != kind:
            throw .invalid("stream", "\(payload.type) events belong on \(owner.kind)-… streams")
        default:
            _ = try DomainEvent(payload)
        }
    }
}
