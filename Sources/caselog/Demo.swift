import AdminProtocol
import Application
import ArgumentParser
import CaselogServer
import Demo
import Domain
import Foundation
import Synchronization

/// `caselog demo`: fills a migrated log with a seeded, realistic history through the same
/// protocol commands users run, for the README's run command, the tests and the benchmarks.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a seeded demo history through the same commands users run.",
        discussion: """
            Registers the Mayor's Office, CPD, the facilitator, the civic consulting partner and \
            eight CBOs (placeholder names) with users demo-admin and demo-<org>, then runs one lane \
            per organization: activities across its community areas, cases, commitments with due \
            dates, progress, fulfilments, missed and cancelled commitments, follow-ups — simulated \
            from 2024-11-01 to --until. The database must be migrated first (caselog migrate) and \
            must not hold the demo already. The same --seed, --events and --until give the same \
            events per stream; with --concurrency 1 the same log order too. Exits 1 when any \
            command was refused.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Events to append at least (1 to 1000000).")
    var events = 2000

    @Option(help: "Seed of the generator.")
    var seed: UInt64 = 2024

    @Option(help: "Organizations' lanes run at once (1 to 12; 1 also makes the log order reproducible).")
    var concurrency = 12

    @Option(help: "Last simulated date, yyyy-mm-dd, not after today (default: today in Chicago).")
    var until: String?

    @Flag(help: "Do nothing when the log already holds events (as scripts/run.sh runs it).")
    var ifEmpty = false

    func validate() throws {
        guard (1...DemoScenario.maximumEvents).contains(events) else {
            throw ValidationError("--events must be from 1 to \(DemoScenario.maximumEvents)")
        }
        guard (1...DemoOrganization.all.count).contains(concurrency) else {
            throw ValidationError("--concurrency must be from 1 to \(DemoOrganization.all.count)")
        }
    }

    func run() async throws {
        let today = CommandService.todayInChicago()
        let lastDay = try until.map { try ISODate(parsing: $0, field: "until") } ?? today
        let scenario = try DemoScenario(seed: seed, events: events, lastDay: lastDay)
        let (concurrency, ifEmpty) = (self.concurrency, self.ifEmpty)
        var configuration = database.configuration()
        configuration.maximumDatabaseConnections = max(20, 2 * concurrency)
        let service = try CaselogService(configuration: configuration, parts: [])
        let report = try await service.withRunning { service -> DemoRunner.Report? in
            let store = service.store
            if ifEmpty, case let head = try await store.head().position, head > 0 {
                print("demo: skipped, the log already holds \(head) events")
                return nil
            }
            print(
                "demo: seed \(scenario.seed), at least \(scenario.events) events, "
                    + "\(scenario.organizations.count) organizations, \(DemoScenario.firstDay) to \(lastDay), "
                    + "concurrency \(concurrency)"
            )
            let display = ProgressDisplay(ProgressBar(label: "demo"), total: Int64(scenario.events))
            defer { display.finish() }
            return try await DemoRunner(store: store, today: today).run(
                scenario,
                concurrency: concurrency,
                progress: display.update
            )
        }
        guard let report else { return }
        print(report)
        if report.refusals > 0 { throw ExitCode(1) }
    }
}

/// A progress bar shared by the demo's concurrent lanes, counting events up to the target.
final class ProgressDisplay: Sendable {
    private let bar: Mutex<ProgressBar>
    private let total: Int64

    init(_ bar: ProgressBar, total: Int64) {
        self.bar = Mutex(bar)
        self.total = total
    }

    @Sendable func update(events: Int) {
        let done = min(Int64(events), total)
        bar.withLock { $0.update(done: done, total: total) }
    }

    func finish() { bar.withLock { $0.finish() } }
}
