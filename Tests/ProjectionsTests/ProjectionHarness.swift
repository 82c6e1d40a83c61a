import CaselogTesting
import Domain
import EventLog
import EventStore
import Foundation
import PostgresNIO
import Projections
import ReadModels
import Synchronization

/// A fresh database with the event store and the projection runner running, and helpers to
/// append commitment events.
struct ProjectionHarness: Sendable {
    let store: EventStore
    let database: TestDatabase
    let runner: ProjectionRunner
    let queries: ReadModelQueries
    let calendar: TestCalendar

    static func with<Result: Sendable>(
        projections: [any Projection] = ReadModelCatalog.standard,
        batchSize: Int = 1000,
        _ body: (ProjectionHarness) async throws -> Result
    ) async throws -> Result {
        try await TestDatabase.withEventStore { store, database in
            let runner = ProjectionRunner(
                projections: projections,
                client: database.client,
                store: store,
                batchSize: batchSize,
                logger: TestDatabase.logger
            )
            let calendar = TestCalendar(today: try ISODate(parsing: "2025-06-01"))
            let harness = ProjectionHarness(
                store: store,
                database: database,
                runner: runner,
                queries: ReadModelQueries(
                    client: database.client,
                    runner: runner,
                    logger: TestDatabase.logger,
                    // A query waits for its projection; on a machine loaded by the rest of the
                    // suite catching up has taken longer than the service's 5 s.
                    waitLimit: .seconds(30),
                    today: { calendar.today }
                ),
                calendar: calendar
            )
            return try await withRunningServices([runner]) { try await body(harness) }
        }
    }

    /// Appends a commitment made by `org`, due on `due`; returns its id.
    @discardableResult
    func makeCommitment(org: String = "cbo-1", due: String = "2025-03-01", id: String = UUID().uuidString.lowercased())
        async throws -> String
    {
        try await append(
            "commitment-\(id)",
            "CommitmentMade",
            #"{"schema":2,"owner_org":"\#(org)","text":"Publish findings","made_to":"residents","made_on":"2025-01-10","due_on":"\#(due)"}"#
        )
        return id
    }

    func progress(_ id: String, level: String) async throws {
        try await append("commitment-\(id)", "CommitmentProgressed", #"{"schema":1,"level":"\#(level)"}"#)
    }

    func fulfil(_ id: String) async throws {
        try await append(
            "commitment-\(id)",
            "CommitmentFulfilled",
            #"{"schema":1,"evidence":"posted","fulfilled_on":"2025-02-20"}"#
        )
    }

    @discardableResult
    func append(_ stream: String, _ type: String, _ data: String) async throws -> LogPosition {
        let result = try await store.append(
            to: try StreamName(stream),
            events: [try NewEvent(type: type, data: data, metadata: "{}")]
        )
        return result.positions.last ?? 0
    }

    /// Runs `projections` in a runner of their own on this log until `name` has applied everything
    /// up to the head (up to a minute), then stops it: a fresh fold to compare the live one with.
    @discardableResult
    func foldSeparately(_ projections: [any Projection], until name: String) async throws -> ProjectionRunner {
        let runner = ProjectionRunner(
            projections: projections,
            client: database.client,
            store: store,
            logger: TestDatabase.logger
        )
        try await withRunningServices([runner]) {
            let head = try await store.head().position
            guard try await runner.waitUntilApplied(name, position: head, timeout: .seconds(60)) else {
                throw TestEnvironmentError("projection \(name) did not reach \(head) in a runner of its own")
            }
        }
        return runner
    }

    /// Waits (up to a minute: the whole suite runs at once on two cores) until `name` has applied
    /// everything up to the head.
    func caughtUp(_ name: String = "commitments") async throws -> LogPosition {
        let head = try await store.head().position
        guard try await runner.waitUntilApplied(name, position: head, timeout: .seconds(60)) else {
            throw TestEnvironmentError("projection \(name) did not reach \(head)")
        }
        return head
    }

    /// Every version of every row of `schema`, in a stable order, for comparisons.
    func allRows(schema: String = "rm_commitments") async throws -> [String] {
        let rows = try await database.client.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT key || ' ' || valid_from || ' ' || coalesce(valid_to::text, '-') || ' ' || last_event_id
                        || ' ' || doc::text
                    FROM \(schema).rows ORDER BY key, valid_from
                    """
            ),
            logger: TestDatabase.logger
        )
        var lines: [String] = []
        for try await line in rows.decode(String.self) { lines.append(line) }
        return lines
    }
}

/// An injectable "today" for overdue tests.
final class TestCalendar: Sendable {
    private let day: Mutex<ISODate>
    init(today: ISODate) { day = Mutex(today) }
    var today: ISODate {
        get { day.withLock { $0 } }
        set { day.withLock { $0 = newValue } }
    }
}
