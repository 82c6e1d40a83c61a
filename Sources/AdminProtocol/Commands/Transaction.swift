import Application

/// The commands a connection queued after `MULTI`, as Redis queues them: each checked when it
/// arrives and answered `+QUEUED`, run together by `EXEC`.
///
/// A command refused while queueing (unknown, wrong arity, no permission, malformed, or not one a
/// batch may hold) is answered with its error at once and marks the transaction aborted: `EXEC`
/// then answers `EXECABORT` and runs nothing, as Redis does.
public struct Transaction: Sendable, Equatable {
    /// The most commands one transaction may queue.
    public static let maxCommands = 20_000

    /// One queued command: its name (`NOUN VERB`) and its arguments after the name.
    public struct Queued: Sendable, Equatable {
        public let name: String
        public let arguments: [String]
    }

    public private(set) var queued: [Queued] = []
    /// Whether a command was refused while queueing.
    public private(set) var isAborted = false

    public init() {}

    /// Queues `command`, or refuses it with `TOOLARGE` (aborting) when the transaction is full.
    mutating func queue(_ command: Queued) throws(CaselogError) {
        guard queued.count < Self.maxCommands else {
            isAborted = true
            throw CaselogError(
                .tooLarge,
                "a transaction holds at most \(Self.maxCommands) commands; EXEC runs none of these"
            )
        }
        queued.append(command)
    }

    /// Marks the transaction aborted after a command was refused while queueing.
    mutating func abort() {
        isAborted = true
    }
}
