public import Domain
public import EventLog
import Foundation

extension CommandService {
    /// One command of a batch (`MULTI` … `EXEC`).
    public enum BatchCommand: Sendable {
        /// A domain write command.
        case domain(DomainCommand)
        /// A raw append (`STREAM APPEND`): events the caller validated and stamped, and the
        /// condition on the stream's version at this point of the batch.
        case append(stream: StreamName, expected: ExpectedVersion, events: [NewEvent])
    }

    /// What one command of an appended batch did.
    public enum BatchResult: Sendable, Hashable {
        case domain(Outcome)
        case append(AppendResult)
    }

    /// A command of the batch that was refused, by its index in the batch.
    public struct BatchRefusal: Sendable, Hashable {
        public let index: Int
        public let error: CaselogError

        public init(index: Int, error: CaselogError) {
            self.index = index
            self.error = error
        }
    }

    /// How a batch ended: every command's result, or the commands that were refused (then
    /// nothing of the batch was appended).
    public enum BatchOutcome: Sendable, Hashable {
        case appended([BatchResult])
        case refused([BatchRefusal])
    }

    /// Runs `commands` as one batch for `caller`: each is decided against the log as it stands
    /// plus the events of the commands before it in the batch, and all their events are
    /// appended in one transaction, or nothing when any command is refused.
    ///
    /// Every command is decided, so every refusal is reported, each with its index. Events of
    /// one batch share a correlation id (the caller's, else a new one). When another writer
    /// changes a stream between decision and append, the whole batch is decided again, as
    /// `run(_:by:)` does for one command; throws only for the batch as a whole (`UNAVAILABLE`,
    /// `TOOLARGE`, `CONFLICT` after repeated concurrent changes).
    ///
    /// With `appending` false the batch is decided the same way and nothing is appended (a check
    /// of every command against the log as it stands): the results carry no positions.
    public func run(
        batch commands: [BatchCommand],
        by caller: Caller,
        appending: Bool = true
    ) async throws(CaselogError) -> BatchOutcome {
        var stamped = caller
        if stamped.correlationID == nil { stamped.correlationID = UUID.random().lowercasedString }
        // A command that names no valid stream is refused by itself when decided.
        let targets = Set(commands.compactMap { try? $0.target() })
        let batchCaller = stamped
        return try await histories.writers.withLocks(targets) { () async throws(CaselogError) in
            try await decideAndAppend(commands, targets: targets, by: batchCaller, appending: appending)
        }
    }

    /// The batch's decide-and-append loop, the target streams locked.
    private func decideAndAppend(
        _ commands: [BatchCommand],
        targets: Set<StreamName>,
        by caller: Caller,
        appending: Bool
    ) async throws(CaselogError) -> BatchOutcome {
        var untrusted = Set<StreamName>()
        for _ in 0..<StreamWriter.attempts {
            var plan = BatchPlan()
            try await plan.load(
                streams(of: commands),
                trusting: targets.subtracting(untrusted),
                cache: histories,
                backend: backend
            )
            let today = today()
            var refusals: [BatchRefusal] = []
            for (index, command) in commands.enumerated() {
                do {
                    try decide(command, at: index, into: &plan, by: caller, today: today)
                } catch {
                    refusals.append(BatchRefusal(index: index, error: error))
                }
            }
            guard refusals.isEmpty else { return .refused(refusals) }
            let requests = plan.requests
            guard appending, !requests.isEmpty else { return .appended(plan.results(appended: [])) }
            do {
                let appended = try await backend.append(atomically: requests)
                for (stream, history) in plan.histories(after: appended) { histories.store(history, for: stream) }
                return .appended(plan.results(appended: appended))
            } catch {
                // A refused precondition names the stream read; a refused request, its own.
                let stream = error.stream ?? error.request.map { requests[$0].stream }
                switch (error.code, stream) {
                case (.wrongVersion, _):
                    // Another writer got there first: read what it added, then decide again.
                    untrusted.formUnion(stream.map { [$0] } ?? plan.touched)
                case (.conflict, let stream?):
                    // An event id a raw append gave is stored with other content.
                    let index = plan.firstAppend(to: stream) ?? 0
                    return .refused([BatchRefusal(index: index, error: CaselogError(error))])
                default:
                    for stream in plan.touched { histories.forget(stream) }
                    throw CaselogError(error)
                }
            }
        }
        throw CaselogError(
            .conflict,
            "the batch's streams changed concurrently \(StreamWriter.attempts) times in a row; try again"
        )
    }

    /// Decides one command of the batch on the plan's histories and adds its events to the plan.
    private func decide(
        _ command: BatchCommand,
        at index: Int,
        into plan: inout BatchPlan,
        by caller: Caller,
        today: ISODate
    ) throws(CaselogError) {
        switch command {
        case .domain(let command):
            try authorize(command, by: caller)
            let stream = try StreamName(request: command.stream)
            let history = plan.history(of: stream)
            if let expected = command.expectedVersion, expected != history.version {
                throw .wrongVersion(stream: stream, expected: expected, actual: history.version)
            }
            var related: [String: [EventPayload]] = [:]
            for name in command.related {
                let stream = try StreamName(request: name)
                related[name] = plan.history(of: stream).events
            }
            let events: [EventPayload]
            do {
                events = try command.decide(history: history.events, related: related, today: today)
            } catch {
                throw CaselogError(error)
            }
            let metadata = caller.metadataText()
            var stamped: [NewEvent] = []
            for event in events {
                do {
                    stamped.append(try NewEvent(type: event.type, data: event.data, metadata: metadata))
                } catch {
                    throw CaselogError(error)
                }
            }
            plan.add(stamped, payloads: events, to: stream, by: index, id: command.id)
        case .append(let stream, let expected, let events):
            let version = plan.history(of: stream).version
            guard expected.isSatisfied(by: version) else {
                throw CaselogError(EventLogError.wrongVersion(stream: stream, expected: expected, actual: version))
            }
            plan.add(events, payloads: events.map { EventPayload(type: $0.type, data: $0.data) }, to: stream, by: index)
        }
    }

    /// Every stream the batch's commands write or read, in first-use order.
    private func streams(of commands: [BatchCommand]) -> [StreamName] {
        var seen = Set<StreamName>()
        var streams: [StreamName] = []
        for command in commands {
            let names: [String] =
                switch command {
                case .domain(let command): [command.stream] + command.related
                case .append(let stream, _, _): [stream.rawValue]
                }
            for name in names {
                guard let stream = try? StreamName(name), seen.insert(stream).inserted else { continue }
                streams.append(stream)
            }
        }
        return streams
    }
}

extension CommandService.BatchCommand {
    /// The stream the command writes.
    func target() throws(CaselogError) -> StreamName {
        switch self {
        case .domain(let command): try StreamName(request: command.stream)
        case .append(let stream, _, _): stream
        }
    }
}
