import Application
import Domain

/// The commands a connection queued after `MULTI`, as Redis queues them: each checked when it
/// arrives and answered `+QUEUED`, run together by `EXEC`.
///
/// A command refused while queueing (unknown, wrong arity, no permission, malformed, or not one a
/// batch may hold) is answered with its error at once and marks the transaction aborted: `EXEC`
/// then answers `EXECABORT` and runs nothing, as Redis does.
public struct Transaction: Sendable {
    /// The most commands one transaction may queue.
    public static let maxCommands = 20_000

    /// One queued command: its name (`NOUN VERB`), the command its arguments were parsed into
    /// when it queued, and for whom.
    public struct Queued: Sendable {
        public let name: String
        let command: CommandService.BatchCommand
        /// The principal `command` was made for; `EXEC` parses the arguments again for another.
        let principal: Principal?
        let arguments: [String]
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
