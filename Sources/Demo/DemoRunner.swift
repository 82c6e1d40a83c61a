import AdminProtocol
import Application
import CaselogServer
public import Domain
import EventLog
public import EventStore
import Synchronization

/// Runs a `DemoScenario` through the protocol's command dispatcher, as clients' commands run:
/// the admin's setup first, then the organizations' lanes, `concurrency` at a time, each lane's
/// commands in batches (`MULTI` … `EXEC`), as an import sends its rows.
///
/// Every change is a protocol command decided by the domain and appended by the event store;
/// refused commands are counted and reported, never hidden.
public struct DemoRunner: Sendable {
    /// What a run did.
    public struct Report: Sendable, CustomStringConvertible {
        /// Events appended by the demo's commands (users added besides are not counted).
        public var events = 0
        public var commands = 0
        public var refusals = 0
        /// The first few refusals: command, id and the error.
        public var firstRefusals: [String] = []
        /// Demo users added (those already there are kept).
        public var usersAdded = 0
        /// Commands sent again because the database was unavailable for a while.
        public var retried = 0
        public var elapsed: Duration = .zero

        public var eventsPerSecond: Double {
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            return seconds > 0 ? Double(events) / seconds : 0
        }

        public var description: String {
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let rate = Int(eventsPerSecond.rounded())
            var lines = [
                "events: \(events)", "commands: \(commands)", "refusals: \(refusals)",
                "retried while the database was unavailable: \(retried)",
                "elapsed: \((seconds * 100).rounded() / 100) s", "events/s: \(rate)",
            ]
            lines += firstRefusals.map { "  refused: \($0)" }
            return lines.joined(separator: "\n")
        }

        mutating func merge(_ other: Report) {
            events += other.events
            commands += other.commands
            refusals += other.refusals
            retried += other.retried
            firstRefusals += other.firstRefusals.prefix(max(0, Self.refusalsKept - firstRefusals.count))
        }

        static let refusalsKept = 5
    }

    /// Metadata of the demo's user events.
    static let userMetadata = #"{"actor":"caselog-demo","client":"caselog-demo"}"#
    static let clientName = "caselog-demo"
    /// How long a command is retried while the database is unavailable.
    static let patience: Duration = .seconds(60)

    public let store: EventStore
    /// Today in Chicago: the domain refuses dates after it.
    public let today: ISODate

    public init(store: EventStore, today: ISODate) {
        self.store = store
        self.today = today
    }

    /// Runs `scenario` into the store's log, which must be migrated and not hold the demo yet.
    /// `progress` is told the events appended so far after each command.
    public func run(
        _ scenario: DemoScenario,
        concurrency: Int = 12,
        progress: (@Sendable (_ events: Int) -> Void)? = nil
    ) async throws(DemoError) -> Report {
        guard concurrency >= 1 else { throw DemoError("concurrency: must be at least 1") }
        guard scenario.lastDay <= today else {
            throw DemoError(
                "the last day \(scenario.lastDay) is after today (\(today)); dates must not be in the future"
            )
        }
        let clock = ContinuousClock()
        let started = clock.now
        let backend = StoreBackend(store: store)
        try await checkLog(scenario)

        let dispatcher = CommandDispatcher(
            context: CommandContext(
                backend: backend,
                table: .standard,
                connections: ConnectionRegistry(),
                serverInfo: ServerInfo(version: CaselogService.version, port: 0),
                today: { [today] in today }
            )
        )
        let counter = EventCounter(progress: progress)
        var report = Report()
        report.usersAdded += try await addUser(DemoScenario.adminUser, role: .admin, organization: nil, backend)
        var admin = session(for: DemoScenario.admin, dispatcher)
        for step in scenario.registrations {
            try await execute(step, session: &admin, dispatcher, into: &report, counter: counter)
        }
        for theme in DemoScenario.addedThemes where try await !vocabulary(backend).contains(theme) {
            let step = DemoStep(day: DemoScenario.firstDay, arguments: ["THEME", "ADD", theme])
            try await execute(step, session: &admin, dispatcher, into: &report, counter: counter)
        }
        for organization in scenario.organizations {
            report.usersAdded += try await addUser(
                organization.coordinator,
                role: .coordinator,
                organization: organization.slug,
                backend
            )
        }

        let lanes = scenario.lanes()
        let workers = min(concurrency, lanes.count)
        do {
            try await withThrowingTaskGroup(of: Report.self) { group in
                for worker in 0..<workers {
                    let share = lanes.filter { $0.index % workers == worker }
                    group.addTask { try await runLanes(share, dispatcher, counter: counter) }
                }
                for try await part in group { report.merge(part) }
            }
        } catch let error as DemoError {
            throw error
        } catch {
            throw DemoError("the demo stopped: \(error)")
        }
        report.elapsed = clock.now - started
        return report
    }

    /// Commands a lane sends as one batch (`MULTI` … `EXEC`): a lane's commands depend on each
    /// other, so one at a time they wait for each other's round trip; a batch decides them in
    /// order and appends them together. Each atomic append commits alone, so larger batches pay
    /// that turn less often (20,000 events on a loaded machine: 1,357 events/s one command at a
    /// time, 2,278 in batches of 16, 3,136 of 64, 9,099 of 256).
    static let batchSize = 256

    /// Runs `lanes` a batch at a time, always from the lane furthest behind in simulated time, so
    /// that a single worker writes the organizations' histories interleaved by date.
    private func runLanes(_ lanes: [DemoLane], _ dispatcher: CommandDispatcher, counter: EventCounter)
        async throws(DemoError) -> Report
    {
        var lanes = lanes
        var sessions = lanes.map { session(for: $0.principal, dispatcher) }
        var report = Report()
        while let index = lanes.indices.filter({ !lanes[$0].isFinished }).min(by: {
            (lanes[$0].currentDay, $0) < (lanes[$1].currentDay, $1)
        }) {
            var steps: [DemoStep] = []
            while steps.count < Self.batchSize, let step = lanes[index].next() { steps.append(step) }
            try await execute(steps, session: &sessions[index], dispatcher, into: &report, counter: counter)
        }
        return report
    }

    /// Runs `steps` as one batch and tallies the events it appended. When the batch is refused
    /// (one of its commands is), each command runs again on its own, which reports the refusal;
    /// while the database is unavailable the batch is sent again, as `execute(_:session:…)` does.
    private func execute(
        _ steps: [DemoStep],
        session: inout Session,
        _ dispatcher: CommandDispatcher,
        into report: inout Report,
        counter: EventCounter
    ) async throws(DemoError) {
        guard steps.count > 1 else {
            for step in steps {
                try await execute(step, session: &session, dispatcher, into: &report, counter: counter)
            }
            return
        }
        var patience = Patience()
        while true {
            _ = await dispatcher.run(["MULTI"], session: &session)
            for step in steps { _ = await dispatcher.run(step.arguments, session: &session) }
            let reply = await dispatcher.run(["EXEC"], session: &session)
            switch reply.value {
            case .error(let message) where message.hasPrefix("UNAVAILABLE"):
                try await patience.wait(after: message, report: &report)
                continue
            case .array(let replies) where replies.count == steps.count && replies.allSatisfy(Self.appendedOne):
                report.commands += steps.count
                report.events += steps.count
                counter.add(steps.count)
            default:
                for step in steps {
                    try await execute(
                        step,
                        session: &session,
                        dispatcher,
                        into: &report,
                        counter: counter,
                        retried: patience.retried
                    )
                }
            }
            return
        }
    }

    /// Sending a request again while the database is unavailable, for up to `DemoRunner.patience`.
    private struct Patience {
        let deadline = ContinuousClock.now + DemoRunner.patience
        /// Whether the request was sent before (its first attempt may have been committed).
        var retried = false

        /// Waits before the next attempt, counting the request as retried; throws once the
        /// patience is spent.
        mutating func wait(after message: String, report: inout Report) async throws(DemoError) {
            guard ContinuousClock.now < deadline else {
                throw DemoError("the database stayed unavailable for \(DemoRunner.patience): \(message)")
            }
            if !retried { report.retried += 1 }
            retried = true
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Whether a command's reply says it appended its event.
    private static func appendedOne(_ reply: RESPValue) -> Bool {
        guard case .map(let entries) = reply,
            case .integer = entries.first(where: { $0.key == .bulk("position") })?.value
        else { return false }
        return true
    }

    /// Runs one command and tallies its reply: an event appended, or a refusal.
    ///
    /// While the database is unavailable the command is sent again until it answers (up to
    /// `patience`); every command expects its stream's version (or the stream not to exist), so
    /// a retry that finds its first attempt committed is refused `WRONGVERSION` (or `CONFLICT`)
    /// and counts as the event it appended, never twice.
    private func execute(
        _ step: DemoStep,
        session: inout Session,
        _ dispatcher: CommandDispatcher,
        into report: inout Report,
        counter: EventCounter,
        retried: Bool = false
    ) async throws(DemoError) {
        report.commands += 1
        var patience = Patience(retried: retried)
        while true {
            let reply = await dispatcher.run(step.arguments, session: &session)
            switch reply.value {
            case .error(let message) where message.hasPrefix("UNAVAILABLE"):
                try await patience.wait(after: message, report: &report)
                continue
            case .error(let message)
            where patience.retried && (message.hasPrefix("WRONGVERSION") || message.hasPrefix("CONFLICT")):
                report.events += 1
                counter.add(1)
            case .error(let message):
                report.refusals += 1
                if report.firstRefusals.count < Report.refusalsKept {
                    let command = step.arguments.prefix(3).joined(separator: " ")
                    report.firstRefusals.append("\(command) (simulated day \(step.day)): \(message)")
                }
            case let reply where Self.appendedOne(reply):
                report.events += 1
                counter.add(1)
            default:
                break
            }
            return
        }
    }

    private func session(for principal: Principal, _ dispatcher: CommandDispatcher) -> Session {
        var session = Session(id: dispatcher.context.connections.makeID(), remoteAddress: "in-process")
        session.name = Self.clientName
        session.principal = principal
        return session
    }

    /// Refuses a log that is not migrated or already holds the demo's organizations.
    private func checkLog(_ scenario: DemoScenario) async throws(DemoError) {
        do {
            _ = try await store.head()
        } catch {
            throw DemoError("cannot read the log (is the database migrated? run caselog migrate first): \(error)")
        }
        for organization in scenario.organizations {
            let stream: StreamName
            do {
                stream = try StreamName("org-\(organization.slug)")
                guard try await store.version(of: stream) < 0 else {
                    throw DemoError(
                        "the log already holds the demo's organization \(organization.slug); run the demo on a fresh database"
                    )
                }
            } catch let error as DemoError {
                throw error
            } catch {
                throw DemoError("cannot read the log: \(error)")
            }
        }
    }

    /// Adds a user unless it exists (retrying while the database is unavailable); 1 when added.
    private func addUser(_ name: String, role: Role, organization: String?, _ backend: StoreBackend)
        async throws(DemoError) -> Int
    {
        let clock = ContinuousClock()
        let deadline = clock.now + Self.patience
        while true {
            do {
                let user = try UserName(name)
                let access = AccessService(backend: backend)
                guard try await !access.account(user).exists else { return 0 }
                _ = try await access.add(user, role: role, organization: organization, metadata: Self.userMetadata)
                return 1
            } catch let error as CaselogError where error.code == .unavailable && clock.now < deadline {
                try? await Task.sleep(for: .milliseconds(200))
            } catch {
                throw DemoError("cannot add the demo user \(name): \(error)")
            }
        }
    }

    private func vocabulary(_ backend: StoreBackend) async throws(DemoError) -> [String] {
        do {
            let history = try await StreamWriter.history(of: try StreamName(ThemeVocabulary.stream), backend: backend)
            return ThemeVocabulary(history: history.events).themes
        } catch {
            throw DemoError("cannot read the theme vocabulary: \(error)")
        }
    }
}

/// The events appended so far across lanes, reported to a progress display.
final class EventCounter: Sendable {
    private let count = Atomic<Int>(0)
    private let progress: (@Sendable (Int) -> Void)?

    init(progress: (@Sendable (Int) -> Void)?) {
        self.progress = progress
    }

    func add(_ events: Int) {
        let total = count.add(events, ordering: .relaxed).newValue
        progress?(total)
    }
}
