import CaselogTesting
import Demo
import Domain
import EventLog
import EventStore
import Synchronization
import Testing

/// `caselog demo`: a seeded history through the protocol's commands, valid, varied and reproducible.
@Suite struct DemoTests {
    static let today = ISODate(year: 2025, month: 10, day: 31)!

    static func scenario(events: Int = 2000, seed: UInt64 = 2024) throws -> DemoScenario {
        try DemoScenario(seed: seed, events: events, lastDay: today)
    }

    /// Every lane's commands, in lane order.
    static func commands(of scenario: DemoScenario) -> [[DemoStep]] {
        scenario.lanes().map { lane in
            var lane = lane
            var steps: [DemoStep] = []
            while let step = lane.next() { steps.append(step) }
            return steps
        }
    }

    @Test func theScenarioIsPureSeededAndNeverDatedAfterItsLastDay() throws {
        let first = Self.commands(of: try Self.scenario(events: 20000))
        #expect(first == Self.commands(of: try Self.scenario(events: 20000)))
        #expect(first != Self.commands(of: try Self.scenario(events: 20000, seed: 7)))
        let quota = try Self.scenario(events: 20000).laneQuota
        #expect(first.count == 12 && first.allSatisfy { $0.count == quota })
        for step in first.joined() {
            #expect(step.day >= DemoScenario.firstDay && step.day <= Self.today)
            for field in [
                "OCCURRED_ON", "MADE_ON", "FULFILLED_ON", "COMPLETED_ON", "OPENED_ON", "NOTED_ON", "CLOSED_ON",
                "REOPENED_ON", "REPORTED_ON", "REDATED_ON", "CANCELLED_ON", "SCHEDULED_ON", "BLOCKED_ON",
            ] {
                if let index = step.arguments.firstIndex(of: field) {
                    #expect(step.arguments[index + 1] <= Self.today.description, "\(step.arguments)")
                    if field != "OCCURRED_ON" {
                        #expect(
                            step.arguments[index + 1] == step.day.description,
                            "the simulated day: \(step.arguments)"
                        )
                    }
                }
            }
        }
        #expect(first.last?.last.map { $0.day.dayNumber >= Self.today.dayNumber - 1 } == true)
    }

    @Test func aSmallDemoIsCompleteValidVariedAndTheSameOnAnotherDatabase() async throws {
        let scenario = try Self.scenario()
        // Each run's failure is its own: one failing must not cancel the other mid-outage.
        async let first = Self.outcome { try await Self.run(scenario, concurrency: 12) }
        async let second = Self.outcome { try await Self.run(scenario, concurrency: 3, interruptAfter: 500) }
        let (firstOutcome, secondOutcome) = await (first, second)
        let one = try firstOutcome.get()
        let other = try secondOutcome.get()

        #expect(one.report.refusals == 0, "\(one.report)")
        #expect(one.report.events >= 2000)
        #expect(one.report.usersAdded == 13)
        #expect(one.intact)
        // The outage is either waited out by the connection pool or answered UNAVAILABLE and
        // retried (`retried`); either way nothing is refused, lost or applied twice.
        #expect(other.report.refusals == 0, "\(other.report)")
        #expect(one.streams == other.streams, "the same seed gives the same events per stream, retries or not")
        #expect(one.streams.count > 500)

        var statuses: [String: Int] = [:]
        var overdue = 0
        for (stream, events) in one.streams {
            guard let dash = stream.firstIndex(of: "-") else { continue }
            let kind = String(stream[..<dash])
            guard DomainState.kinds.contains(kind) else { continue }
            let snapshot = try DomainState.snapshot(
                kind: kind,
                id: String(stream[stream.index(after: dash)...]),
                history: events.map { EventPayload(type: $0.type, data: $0.data) }
            )
            let status = snapshot["status"]?.description ?? "-"
            statuses["\(kind) \(status)", default: 0] += 1
            if kind == "commitment", status == "open", let due = snapshot["due_on"]?.description,
                due < Self.today.description
            {
                overdue += 1
            }
        }
        #expect(overdue > 0, "\(statuses)")
        for expected in [
            "commitment fulfilled", "commitment cancelled", "followup blocked", "followup completed",
            "followup cancelled", "case closed", "case open",
        ] {
            #expect(statuses[expected, default: 0] > 0, "\(expected): \(statuses)")
        }
        #expect(statuses.filter { $0.key.hasPrefix("org ") }.values.reduce(0, +) == 12)
    }

    @Test func theDemoRefusesALogThatAlreadyHoldsIt() async throws {
        try await TestDatabase.withEventStore { store, _ in
            let runner = DemoRunner(store: store, today: Self.today)
            let report = try await runner.run(try Self.scenario(events: 20))
            #expect(report.refusals == 0 && report.events >= 20, "\(report)")
            await #expect(throws: DemoError.self) { try await runner.run(try Self.scenario(events: 20)) }
        }
    }

    struct Stored: Hashable {
        let type: String
        let data: String
    }

    struct Outcome {
        let report: DemoRunner.Report
        /// Events per stream, users' streams left out (their token hashes are random).
        let streams: [String: [Stored]]
        let intact: Bool
    }

    static func outcome(_ body: () async throws -> Outcome) async -> Result<Outcome, any Error> {
        do {
            return .success(try await body())
        } catch {
            return .failure(error)
        }
    }

    /// Runs the demo on a fresh database; with `interruptAfter`, the database refuses
    /// connections for a second once that many events are in, and the demo must ride it out.
    static func run(_ scenario: DemoScenario, concurrency: Int, interruptAfter: Int? = nil) async throws -> Outcome {
        try await TestDatabase.withEventStore { store, database in
            let progress = Progress()
            async let running = DemoRunner(store: store, today: today).run(
                scenario,
                concurrency: concurrency,
                progress: progress.set
            )
            if let interruptAfter {
                for _ in 0..<1500 where progress.events < interruptAfter {
                    try await Task.sleep(for: .milliseconds(20))
                }
                try await database.setAcceptingConnections(false)
                try await Task.sleep(for: .seconds(1))
                try await database.setAcceptingConnections(true)
            }
            let report = try await running
            var streams: [String: [Stored]] = [:]
            var position: Int64 = 1
            while case let batch = try await store.readAll(from: position, limit: 1000), let last = batch.last {
                for event in batch where !event.stream.hasPrefix("user-") {
                    streams[event.stream, default: []].append(Stored(type: event.type, data: event.data))
                }
                position = last.position + 1
            }
            return Outcome(report: report, streams: streams, intact: try await store.verify().isIntact)
        }
    }

    /// The events a running demo has appended so far.
    final class Progress: Sendable {
        private let count = Atomic<Int>(0)
        var events: Int { count.load(ordering: .relaxed) }
        @Sendable func set(_ events: Int) { count.store(events, ordering: .relaxed) }
    }
}
