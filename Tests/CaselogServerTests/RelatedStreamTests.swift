import Application
import CaselogServer
import CaselogTesting
import Domain
import EventLog
import EventStore
import Foundation
import Synchronization
import Testing

/// Domain commands decide on related streams (an activity's organization) kept in memory, each
/// append stating the versions it decided on as preconditions: two servers (each its own store
/// and cache) on one real PostgreSQL never decide on what the other changed unseen.
@Suite struct RelatedStreamTests {
    static let admin = Principal(user: "ada", role: .admin, organization: nil)
    static let caller = Caller(principal: admin)
    static let today = { @Sendable in try! ISODate(parsing: "2025-06-30") }

    /// The store backend, noting which streams each command read.
    final class ReadingBackend: AdminBackend {
        let base: StoreBackend
        private let streamsRead = Mutex<[String]>([])

        init(_ base: StoreBackend) { self.base = base }

        /// The streams read since the last call, and forgets them.
        func takeReads() -> [String] {
            streamsRead.withLock { reads in
                defer { reads = [] }; return reads
            }
        }

        func append(
            to stream: StreamName,
            expected: ExpectedVersion,
            events: [NewEvent],
            preconditions: [StreamPrecondition]
        ) async throws(EventLogError) -> AppendResult {
            try await base.append(to: stream, expected: expected, events: events, preconditions: preconditions)
        }
        func append(atomically requests: [AppendRequest]) async throws(EventLogError) -> [AppendResult] {
            if let change = beforeAtomicAppend.withLock({ change in
                defer { change = nil }
                return change
            }) {
                await change()
            }
            return try await base.append(atomically: requests)
        }

        /// Runs `change` once, just before the next atomic append is sent: another writer's
        /// change between a batch's reads and its commit.
        func interleave(_ change: @escaping @Sendable () async -> Void) {
            beforeAtomicAppend.withLock { $0 = change }
        }
        private let beforeAtomicAppend = Mutex<(@Sendable () async -> Void)?>(nil)
        func read(stream: StreamName, from version: StreamVersion, limit: Int) async throws(EventLogError)
            -> [RecordedEvent]
        {
            streamsRead.withLock { $0.append(stream.rawValue) }
            return try await base.read(stream: stream, from: version, limit: limit)
        }
        func readAll(from position: LogPosition, limit: Int) async throws(EventLogError) -> [RecordedEvent] {
            try await base.readAll(from: position, limit: limit)
        }
        func head() async throws(EventLogError) -> LogHead { try await base.head() }
        func version(of stream: StreamName) async throws(EventLogError) -> StreamVersion {
            try await base.version(of: stream)
        }
        func verify(from position: LogPosition, through end: LogPosition?) async throws(EventLogError)
            -> VerificationReport
        { try await base.verify(from: position, through: end) }
        func streams(withPrefix prefix: String) async throws(EventLogError) -> [String] {
            try await base.streams(withPrefix: prefix)
        }
        func waitForAppend(after position: LogPosition, timeout: Duration) async throws(EventLogError) {
            try await base.waitForAppend(after: position, timeout: timeout)
        }
    }

    /// Runs `body` with two servers' command services on one fresh database, each with its own store and cache.
    static func withTwoServers(
        _ body: (CommandService, ReadingBackend, CommandService) async throws -> Void
    ) async throws {
        try await TestDatabase.withEventStore { first, database in
            let second = EventStore(client: database.client, logger: TestDatabase.logger)
            try await withRunningServices([second]) {
                let reading = ReadingBackend(StoreBackend(store: first))
                try await body(
                    CommandService(backend: reading, today: today),
                    reading,
                    CommandService(backend: StoreBackend(store: second), today: today)
                )
            }
        }
    }

    static func logActivity(org: String) throws -> DomainCommand {
        try ActivityCommand.log(id: UUID().uuidString, org: org, kind: .canvass, attendance: 12, actor: admin)
    }

    static func register(_ slug: String) throws -> DomainCommand {
        try OrganizationCommand.register(slug: slug, name: "Block Club", kind: .cbo, actor: admin)
    }

    @Test func aNewActivityForAKnownOrganizationReadsNothing() async throws {
        try await Self.withTwoServers { service, backend, other in
            _ = try await other.run(Self.register("cbo-one"), by: Self.caller)
            _ = try await service.run(Self.logActivity(org: "cbo-one"), by: Self.caller)
            #expect(
                backend.takeReads() == ["org-cbo-one"],
                "the first activity reads its organization (registered by the other server), not its own new stream"
            )
            for _ in 0..<3 {
                _ = try await service.run(Self.logActivity(org: "cbo-one"), by: Self.caller)
            }
            #expect(backend.takeReads() == [], "later ones decide on it from memory")
            #expect(try await backend.head().position == 5)
        }
    }

    @Test func anOrganizationRetiredByAnotherServerRefusesTheNextActivity() async throws {
        try await Self.withTwoServers { service, backend, other in
            _ = try await service.run(Self.register("cbo-one"), by: Self.caller)
            _ = try await service.run(Self.logActivity(org: "cbo-one"), by: Self.caller)
            _ = try await other.run(
                try OrganizationCommand.retire(slug: "cbo-one", actor: Self.admin),
                by: Self.caller
            )
            _ = backend.takeReads()
            let refused = await #expect(throws: CaselogError.self) {
                try await service.run(Self.logActivity(org: "cbo-one"), by: Self.caller)
            }
            #expect(refused?.code == .invalid, "\(String(describing: refused))")
            #expect(refused?.message.contains("organization cbo-one is retired") == true)
            #expect(backend.takeReads().contains("org-cbo-one"), "the append's precondition sent it to read the change")
            #expect(try await backend.head().position == 3, "nothing was appended on the stale organization")
        }
    }

    @Test func anOrganizationRegisteredByAnotherServerIsFoundAlthoughItWasMissingHere() async throws {
        try await Self.withTwoServers { service, backend, other in
            let missing = await #expect(throws: CaselogError.self) {
                try await service.run(Self.logActivity(org: "cbo-new"), by: Self.caller)
            }
            #expect(missing?.code == .notFound)
            _ = try await other.run(Self.register("cbo-new"), by: Self.caller)
            let outcome = try await service.run(Self.logActivity(org: "cbo-new"), by: Self.caller)
            #expect(outcome.position == 2)
        }
    }

    @Test func concurrentActivitiesBesideARenameAllLandOnTheOrganizationAsItIs() async throws {
        try await Self.withTwoServers { service, backend, other in
            _ = try await service.run(Self.register("cbo-one"), by: Self.caller)
            _ = try await service.run(Self.logActivity(org: "cbo-one"), by: Self.caller)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 {
                    group.addTask { _ = try await service.run(Self.logActivity(org: "cbo-one"), by: Self.caller) }
                }
                group.addTask {
                    _ = try await other.run(
                        try OrganizationCommand.rename(slug: "cbo-one", name: "Block Club East", actor: Self.admin),
                        by: Self.caller
                    )
                }
                try await group.waitForAll()
            }
            #expect(try await backend.head().position == 23)
            #expect(try await backend.verify(from: 1, through: nil).isIntact)
        }
    }

    @Test func aBatchIsDecidedAgainWhenAnOrganizationItReadChangesBeforeItsCommit() async throws {
        try await Self.withTwoServers { service, backend, other in
            _ = try await service.run(Self.register("cbo-one"), by: Self.caller)
            let retire = try OrganizationCommand.retire(slug: "cbo-one", actor: Self.admin)
            backend.interleave { _ = try? await other.run(retire, by: Self.caller) }
            let outcome = try await service.run(
                batch: [.domain(try Self.logActivity(org: "cbo-one")), .domain(try Self.logActivity(org: "cbo-one"))],
                by: Self.caller
            )
            guard case .refused(let refusals) = outcome else {
                Issue.record("the batch was appended on an organization retired before its commit: \(outcome)")
                return
            }
            #expect(refusals.map(\.index) == [0, 1])
            #expect(refusals.allSatisfy { $0.error.message.contains("organization cbo-one is retired") })
            #expect(try await backend.head().position == 2, "the registration and the retirement only")
        }
    }
}
