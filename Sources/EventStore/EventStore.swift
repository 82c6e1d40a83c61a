public import EventLog
public import Logging
public import PostgresNIO
public import ServiceLifecycle
import Synchronization

/// The PostgreSQL event store: appends (group-committed), reads and the log head.
///
/// It stores envelopes and knows nothing of the domain's event types. Run it as a `Service`
/// beside its `PostgresClient`: `run()` is the writer that commits queued appends in batches.
public final class EventStore: Service, Sendable {
    /// Limits and batching of the store; every value has a default.
    public struct Configuration: Sendable {
        /// The largest event accepted (type, data and metadata together), in bytes.
        public var maxEventBytes = 1 << 20
        /// The most events one append may carry.
        public var maxEventsPerAppend = 1000
        /// The most events the writer commits in one transaction.
        public var maxBatchEvents = 4000
        /// The most events one atomic append (`append(atomically:)`, a MULTI/EXEC batch) may carry.
        public var maxEventsPerAtomicAppend = 20_000
        /// The most payload bytes the writer commits in one transaction.
        public var maxBatchBytes = 32 << 20
        /// How often a batch is retried when the database connection fails mid-commit.
        public var connectionRetries = 3
        /// How often the head is read when no notification arrives (other processes' commits).
        public var headPollInterval: Duration = .milliseconds(250)
        /// How long a request waits for the database before it is answered `UNAVAILABLE`.
        public var databaseTimeout: Duration = .seconds(5)
        /// How many streams' latest versions the writer remembers from its commits, so that
        /// appends stating them need no version lookup (`StoredVersions`).
        public var rememberedStreams = 100_000
        /// How long an append waits for its commit, queueing behind other appends included,
        /// before it is answered `UNAVAILABLE` (its outcome is then unknown: retry with the same ids).
        public var appendTimeout: Duration = .seconds(30)

        public init() {}
    }

    let client: PostgresClient
    let configuration: Configuration
    let logger: Logger
    let queue = AppendQueue()
    /// The log's head after the writer's last commit, when known: what the next batch chains to.
    private let writerHead = Mutex<KnownHead?>(nil)
    private let storedVersions: StoredVersions
    let headWatcher = HeadWatcher()
    let availability: DatabaseAvailability

    public init(client: PostgresClient, configuration: Configuration = .init(), logger: Logger) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
        self.storedVersions = StoredVersions(capacity: configuration.rememberedStreams)
        self.availability = DatabaseAvailability(
            client: client,
            timeout: configuration.databaseTimeout,
            logger: logger
        )
    }

    /// The group-commit writer, and the watcher of other processes' commits. On graceful
    /// shutdown it stops taking appends and commits every append already queued before it returns.
    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.expireLateAppends() }
            group.addTask {
                await self.headWatcher.follow(
                    client: self.client,
                    interval: self.configuration.headPollInterval,
                    logger: self.logger
                ) { try await self.head().position }
            }
            await runWriter()
            group.cancelAll()
        }
        availability.stop()
    }

    /// Returns once the log's head is past `position` (by any process), or after `timeout`.
    public func waitForAppend(after position: LogPosition, timeout: Duration) async {
        await headWatcher.wait(after: position, timeout: timeout)
    }

    /// Answers `UNAVAILABLE` to appends that did not commit within `appendTimeout`, queueing
    /// included, and has the database probed when any did.
    private func expireLateAppends() async {
        let timeout = configuration.appendTimeout
        let error = EventLogError(
            .unavailable,
            "the append did not commit within \(timeout); its outcome is unknown: retry with the same event ids"
        )
        while (try? await Task.sleep(for: min(timeout / 10, .milliseconds(100)))) != nil {
            if queue.expire(at: .now, with: error) > 0 {
                availability.startProbe(markingUnreachable: false)
            }
        }
    }

    private func runWriter() async {
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await writeBatches()
            } onCancel: {
                queue.close()
            }
        } onGracefulShutdown: {
            self.queue.close()
        }
    }

    /// Commits the queued appends batch after batch, one at a time. While one commits, the next
    /// is gathered and, when every request in it states its stream's version, already chained
    /// after the head the committing batch will leave: it goes out the moment that one is done.
    /// An append committing alone (`commitAlone`) holds up the next batch the same way; its head
    /// is not known here, so the batch is chained once it has settled.
    private func writeBatches() async {
        let limits = AppendQueue.Limits(
            maxEvents: configuration.maxBatchEvents,
            maxBytes: configuration.maxBatchBytes
        )
        await withDiscardingTaskGroup { group in
            var next = AppendQueue.Batch()
            var chained: ChainedAppend?
            var canChain = true
            /// The head once the committing batch is appended, when known.
            var tip: KnownHead?
            while true {
                let taken = queue.take(into: &next, limits)
                switch queue.committer {
                case nil: tip = writerHead.withLock { $0 }
                case .alone: (tip, chained) = (nil, nil)
                case .batch: break
                }
                for entry in next.entries.suffix(taken) where canChain {
                    canChain = ChainedAppend.statedVersion(of: entry.request) != nil
                }
                if !canChain {
                    chained = nil
                } else if chained == nil, let tip, !next.isEmpty {
                    chained = ChainedAppend(next.entries.map(\.request), after: tip, at: .now, stored: storedVersions)
                } else if taken > 0 {
                    for entry in next.entries.suffix(taken) {
                        chained?.add(entry.request, stored: storedVersions)
                    }
                }
                if !next.isEmpty, queue.claimForBatch() {
                    let batch = next.entries
                    let prebuilt = chained.flatMap { $0.head == tip ? $0 : nil }
                    group.addTask {
                        await self.write(batch, prebuilt: prebuilt) { self.queue.settle() }
                        self.queue.answered(batch)
                    }
                    tip = prebuilt?.headAfter
                    (next, chained, canChain) = (AppendQueue.Batch(), nil, true)
                    continue
                }
                if next.isEmpty, queue.isDrained { return }
                await queue.waitForNews()
            }
        }
    }

    /// Appends `events` to `stream` atomically if the stream's version meets `expected`.
    ///
    /// Returns once the events are committed. Re-sending the same event ids with the same
    /// content returns the original positions; throws `INVALID`, `TOOLARGE`, `WRONGVERSION`,
    /// `CONFLICT` or `UNAVAILABLE`. After `UNAVAILABLE` the append may still commit: retry it
    /// with the same event ids to learn its positions.
    ///
    /// With `preconditions`, the append happens only if each of those streams (which it does not
    /// write) is still at its stated version, checked in the same statement; otherwise it is
    /// refused `WRONGVERSION` naming the first stream that moved (`EventLogError.stream`).
    public func append(
        to stream: StreamName,
        expected: ExpectedVersion = .any,
        events: [NewEvent],
        preconditions: [StreamPrecondition] = []
    ) async throws(EventLogError) -> AppendResult {
        let request = AppendRequest(stream: stream, expected: expected, events: events, preconditions: preconditions)
        try validate(request)
        try availability.requireReachable()
        let deadline = ContinuousClock.now + configuration.appendTimeout
        if queue.claimAlone() {
            return try await commitAlone(request, until: deadline).get()
        }
        return try await queue.submit(request, deadline: deadline).get()
    }

    /// Appends waiting for the writer (queued, or in a batch not yet answered); an append
    /// committing alone is not among them.
    package var appendsWaitingForTheWriter: Int { queue.unanswered }

    /// Commits `request` in the appender's own task, the writer being idle (`claimAlone`): no
    /// hand-over to the writer and back for an append that has no batch to join.
    private func commitAlone(
        _ request: AppendRequest,
        until deadline: ContinuousClock.Instant
    ) async -> AppendQueue.Outcome {
        let outcome = await commit([request], prebuilt: nil, until: deadline)
        queue.settle()
        switch outcome {
        case .success(let outcomes):
            announce(outcomes)
            return outcomes[0]
        case .failure(let error):
            return .failure(error)
        }
    }

    /// Tells whoever waits for the log to grow of the positions `outcomes` appended.
    func announce(_ outcomes: [AppendQueue.Outcome]) {
        if let last = outcomes.compactMap({ try? $0.get().positions.last }).max() {
            headWatcher.advance(to: last)
        }
    }

    /// The most streams one append may state preconditions on.
    public static let maxPreconditions = 32

    func validate(_ request: AppendRequest) throws(EventLogError) {
        guard !request.events.isEmpty else { throw .invalid("events", "an append needs at least one event") }
        guard request.events.count <= configuration.maxEventsPerAppend else {
            throw EventLogError(.tooLarge, "events: at most \(configuration.maxEventsPerAppend) per append")
        }
        for (index, event) in request.events.enumerated() where event.byteCount > configuration.maxEventBytes {
            throw EventLogError(
                .tooLarge,
                "event \(index) (\(event.id)): \(event.byteCount) bytes is over the limit of \(configuration.maxEventBytes)"
            )
        }
        guard Set(request.events.map(\.id)).count == request.events.count else {
            throw .invalid("id", "an event id appears twice in one append")
        }
        try validate(request.preconditions, besides: [request.stream], limit: Self.maxPreconditions)
    }

    /// Checks the preconditions of an append that writes `written`: each other stream once, at
    /// most `limit` of them.
    func validate(
        _ preconditions: [StreamPrecondition],
        besides written: Set<StreamName>,
        limit: Int
    ) throws(EventLogError) {
        guard preconditions.count <= limit else {
            throw EventLogError(.tooLarge, "preconditions: at most \(limit) per append")
        }
        var conditioned = written
        for condition in preconditions {
            guard conditioned.insert(condition.stream).inserted else {
                throw .invalid(
                    "preconditions",
                    "stream \(condition.stream) is the appended stream or named twice; give each other stream once"
                )
            }
            guard condition.version >= -1 else {
                throw .invalid("preconditions", "stream \(condition.stream): a version is -1 (no stream) or more")
            }
        }
    }

    /// Commits one batch and answers every request in it; `prebuilt`, when given, is the batch
    /// chained after the head the writer expects. `settled` runs as soon as the log holds all the
    /// batch will append, before the answers go out, so that the next batch can leave meanwhile.
    private func write(
        _ batch: [AppendQueue.Entry],
        prebuilt: ChainedAppend? = nil,
        settled: () -> Void = {}
    ) async {
        let outcome = await commit(batch.map(\.request), prebuilt: prebuilt)
        if case .failure(let error) = outcome, batch.count > 1, error.code != .unavailable {
            // One request broke the whole batch: commit each alone so only it fails.
            logger.warning("append batch failed; retrying its requests one by one", metadata: ["error": "\(error)"])
            for entry in batch {
                await write([entry])
            }
            settled()
            return
        }
        settled()
        switch outcome {
        case .success(let outcomes):
            announce(outcomes)
            for (entry, outcome) in zip(batch, outcomes) {
                entry.reply.resume(returning: outcome)
            }
        case .failure(let error):
            for entry in batch {
                entry.reply.resume(returning: .failure(error))
            }
        }
    }

    /// Appends `requests`, retrying when the connection fails (safe: a batch that did commit
    /// comes back as duplicates of itself). One attempt may take up to `appendTimeout`, and none
    /// runs past `deadline` when one is given: a call lost with its connection must not hold up
    /// the writer for good. When `atomic`, a refused request fails the whole call with its
    /// refusal (`EventLogError.request` says which) and nothing is appended.
    func commit(
        _ requests: [AppendRequest],
        prebuilt: ChainedAppend?,
        until deadline: ContinuousClock.Instant? = nil,
        atomic: Bool = false
    ) async -> Result<[AppendQueue.Outcome], EventLogError> {
        var attempt = 0
        while true {
            let limit = min(configuration.appendTimeout, deadline.map { $0 - .now } ?? configuration.appendTimeout)
            do {
                guard limit > .zero else { throw Deadline.Exceeded() }
                let known = writerHead.withLock { $0.take() }
                let (outcomes, after) = try await Deadline.run(limit) { [client, logger, storedVersions] in
                    try await Self.append(
                        requests,
                        after: known,
                        prebuilt: prebuilt,
                        atomic: atomic,
                        stored: storedVersions,
                        client: client,
                        logger: logger
                    )
                }
                writerHead.withLock { $0 = after }
                storedVersions.record(outcomes)
                availability.noteAnswered()
                return .success(outcomes)
            } catch let refusal as AtomicRefusal {
                writerHead.withLock { $0 = refusal.head }
                availability.noteAnswered()
                return .failure(refusal.error)
            } catch is Deadline.Exceeded {
                // Slow is not lost: probe without failing other requests meanwhile.
                availability.startProbe(markingUnreachable: false)
                return .failure(
                    EventLogError(
                        .unavailable,
                        "the database did not answer the append within \(configuration.appendTimeout); its outcome is unknown: retry with the same event ids"
                    )
                )
            } catch {
                let mapped = DatabaseError.map(error, logger: logger)
                attempt += 1
                guard mapped.code == .unavailable, attempt <= configuration.connectionRetries, !Task.isCancelled else {
                    if mapped.code == .unavailable, !Task.isCancelled {
                        availability.startProbe(markingUnreachable: true)
                    }
                    return .failure(mapped)
                }
                try? await Task.sleep(for: .milliseconds(100 * attempt * attempt))
            }
        }
    }

    /// One attempt at appending `requests`: chained after the head, when every request states
    /// its stream's version (`after`, or the head as read now; `prebuilt` when it was chained
    /// after that head already); requests whose looked-up streams are not at their stated
    /// versions are answered `WRONGVERSION` from what the chained statement saw; anything else
    /// the chained rows cannot settle goes through `caselog_append`. When `atomic`, the first
    /// refused request throws `AtomicRefusal` instead, nothing having been appended.
    /// Returns the outcomes, in order, and the head after them, when known.
    private static func append(
        _ requests: [AppendRequest],
        after head: KnownHead?,
        prebuilt: ChainedAppend?,
        atomic: Bool,
        stored: StoredVersions,
        client: PostgresClient,
        logger: Logger
    ) async throws -> ([AppendQueue.Outcome], KnownHead?) {
        var outcomes = [AppendQueue.Outcome?](repeating: nil, count: requests.count)
        var pending = Array(requests.indices)
        var head = head
        var prebuilt = prebuilt
        // Requests that state no version (`any`, `exists`) are chained at the version their
        // stream is assumed at: the writer's memory, what a refusal reported, or (for `any`)
        // no stream yet. The statement checks it as it checks a stated version; a wrong
        // assumption inserts nothing and is corrected, never answered as a refusal.
        var assumed: [Int: StreamVersion] = [:]
        func chainable(_ index: Int) -> AppendRequest? {
            let request = requests[index]
            if ChainedAppend.statedVersion(of: request) != nil { return request }
            guard
                let version = assumed[index] ?? stored.latestVersion(of: request.stream)
                    ?? (request.expected == .any ? -1 : nil)
            else { return nil }
            return AppendRequest(
                stream: request.stream,
                expected: .at(version),
                events: request.events,
                preconditions: request.preconditions
            )
        }
        /// Whether a stream found at `version` refuses `request` (assumed versions never do, but
        /// `exists` refuses a stream that is not there).
        func refuses(_ request: AppendRequest, at version: StreamVersion) -> Bool {
            switch request.expected {
            case .any: false
            case .exists: version < 0
            case .noStream, .exact: ChainedAppend.statedVersion(of: request) != version
            }
        }
        if pending.allSatisfy({ chainable($0) != nil }) {
            chaining: for _ in 0..<3 {
                let known: KnownHead
                if let head {
                    known = head
                } else {
                    known = try await KnownHead.read(from: client, logger: logger)
                }
                head = nil
                let sent = pending.compactMap(chainable)
                let chained =
                    if let prebuilt, prebuilt.head == known, prebuilt.requests.count == pending.count {
                        prebuilt
                    } else {
                        ChainedAppend(sent, after: known, at: .now, stored: stored)
                    }
                prebuilt = nil
                do {
                    switch try await chained.run(on: client, logger: logger) {
                    case .appended(let results):
                        for (index, result) in zip(pending, results) { outcomes[index] = .success(result) }
                        return (outcomes.compactMap { $0 }, chained.headAfter)
                    case .headMoved(let current):
                        logger.debug(
                            "chained append: the head moved",
                            metadata: ["chained-after": "\(known.position)", "head": "\(current?.position ?? -1)"]
                        )
                        head = current
                    case .refused(let found?):
                        head = known
                        let verdicts = chained.verdicts(found)
                        /// Why the request at `offset` of `pending` is refused, if it is.
                        func refusal(_ offset: Int) -> EventLogError? {
                            let request = requests[pending[offset]]
                            if refuses(request, at: verdicts[offset].version) {
                                return .wrongVersion(
                                    stream: request.stream,
                                    expected: request.expected,
                                    actual: verdicts[offset].version
                                )
                            }
                            return verdicts[offset].failedPrecondition
                        }
                        if atomic, let refused = pending.indices.first(where: { refusal($0) != nil }),
                            let error = refusal(refused)
                        {
                            throw AtomicRefusal(error: error.refusing(request: pending[refused]), head: known)
                        }
                        var stillPending: [Int] = []
                        for (offset, index) in pending.enumerated() {
                            if let error = refusal(offset) {
                                outcomes[index] = .failure(error)
                            } else {
                                if ChainedAppend.statedVersion(of: requests[index]) == nil {
                                    assumed[index] = verdicts[offset].version
                                }
                                stillPending.append(index)
                            }
                        }
                        pending = stillPending
                        if pending.isEmpty { return (outcomes.compactMap { $0 }, head) }
                    case .refused(nil):
                        logger.debug("chained append refused: an event id of the batch is already stored")
                        head = known
                        break chaining
                    }
                } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
                    logger.debug(
                        "chained append refused: an id or stream version is taken",
                        metadata: ["detail": "\(error.serverInfo?[.message] ?? "")"]
                    )
                    break chaining
                }
            }
        }
        let results = try await AppendStatement.run(
            pending.map { requests[$0] },
            atomic: atomic,
            on: client,
            logger: logger
        )
        if atomic, let refused = results.firstIndex(where: { (try? $0.get()) == nil }),
            case .failure(let error) = results[refused]
        {
            throw AtomicRefusal(
                error: AtomicRefusal.naming(requests[pending[refused]].stream, in: error)
                    .refusing(request: pending[refused]),
                head: head
            )
        }
        for (index, result) in zip(pending, results) { outcomes[index] = result }
        // Refusals and duplicates leave the head where it was; new events move it.
        let appendedAny = results.contains { (try? $0.get())?.wasDuplicate == false }
        return (outcomes.compactMap { $0 }, appendedAny ? nil : head)
    }
}
