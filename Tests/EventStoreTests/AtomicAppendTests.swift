import CaselogTesting
import EventLog
import EventStore
import Foundation
import Testing

/// Appends across many streams, all or nothing, against a real PostgreSQL.
@Suite struct AtomicAppendTests {
    static func events(_ count: Int) throws -> [NewEvent] {
        try (0..<count).map { _ in try AppendTests.event() }
    }

    @Test func appendsToManyStreamsInOneTransactionEachWithItsOwnExpectedVersion() async throws {
        try await TestDatabase.withEventStore { (store, _) async throws in
            let existing = try StreamName("case-existing")
            _ = try await store.append(to: existing, expected: .noStream, events: Self.events(2))
            let fresh = try StreamName("case-fresh")
            let loose = try StreamName("case-loose")
            let results = try await store.append(atomically: [
                AppendRequest(stream: existing, expected: .exact(1), events: try Self.events(1)),
                AppendRequest(stream: fresh, expected: .noStream, events: try Self.events(2)),
                AppendRequest(stream: loose, expected: .any, events: try Self.events(1)),
            ])
            #expect(results.map(\.stream) == [existing, fresh, loose])
            #expect(results.map(\.positions) == [[3], [4, 5], [6]])
            #expect(results.map(\.firstVersion) == [2, 0, 0])
            #expect(try await store.head().position == 6)
            let verified = try await store.verify(from: 1, through: nil)
            #expect(verified.isIntact, "\(verified)")
        }
    }

    @Test func oneRefusedRequestAppendsNothingAndSaysWhichAndWhy() async throws {
        try await TestDatabase.withEventStore { (store, _) async throws in
            let existing = try StreamName("case-existing")
            _ = try await store.append(to: existing, expected: .noStream, events: Self.events(2))
            for expected in [ExpectedVersion.exact(0), .noStream] {
                let error = await #expect(throws: EventLogError.self) {
                    try await store.append(atomically: [
                        AppendRequest(
                            stream: try StreamName("case-a"),
                            expected: .noStream,
                            events: try Self.events(3)
                        ),
                        AppendRequest(stream: existing, expected: expected, events: try Self.events(1)),
                        AppendRequest(stream: try StreamName("case-b"), expected: .any, events: try Self.events(1)),
                    ])
                }
                #expect(error?.code == .wrongVersion)
                #expect(error?.request == 1)
                #expect(error?.message == "stream case-existing expected version \(expected), actual 1")
            }
            #expect(try await store.head().position == 2, "nothing of the refused appends is in the log")
            #expect(try await store.version(of: StreamName("case-a")) == -1)
            // The writer goes on from the head the refusals left.
            let after = try await store.append(to: existing, expected: .exact(1), events: Self.events(1))
            #expect(after.positions == [3])
        }
    }

    /// Requests that state no version (`any`, `exists`) go through `caselog_append` rather than
    /// the chained rows; a refusal there rolls back what the requests before it wrote.
    @Test func aRefusalAfterAppendedRequestsRollsThemBackOnTheProcedurePath() async throws {
        try await TestDatabase.withEventStore { (store, _) async throws in
            let error = await #expect(throws: EventLogError.self) {
                try await store.append(atomically: [
                    AppendRequest(stream: try StreamName("case-a"), expected: .any, events: try Self.events(2)),
                    AppendRequest(stream: try StreamName("case-b"), expected: .exists, events: try Self.events(1)),
                ])
            }
            #expect(error?.code == .wrongVersion && error?.request == 1)
            #expect(error?.message == "stream case-b expected version exists, actual no-stream")
            #expect(try await store.head().position == 0)
            #expect(try await store.readAll(from: 1, limit: 10).isEmpty)
        }
    }

    @Test func anIdUsedWithOtherContentIsAConflictNamingTheStream() async throws {
        try await TestDatabase.withEventStore { (store, _) async throws in
            let taken = try AppendTests.event()
            _ = try await store.append(to: StreamName("case-first"), events: [taken])
            let reused = try AppendTests.event("CaseNoteAdded", #"{"note":"other"}"#, id: taken.id)
            let error = await #expect(throws: EventLogError.self) {
                try await store.append(atomically: [
                    AppendRequest(stream: try StreamName("case-a"), expected: .noStream, events: try Self.events(1)),
                    AppendRequest(stream: try StreamName("case-b"), expected: .noStream, events: [reused]),
                ])
            }
            #expect(error?.code == .conflict && error?.request == 1)
            #expect(error?.message.hasPrefix("stream case-b: ") == true, "\(String(describing: error))")
            #expect(try await store.head().position == 1)
        }
    }

    @Test func reSendingTheSameAtomicAppendReturnsTheOriginalPositions() async throws {
        try await TestDatabase.withEventStore { (store, _) async throws in
            let requests = [
                AppendRequest(stream: try StreamName("case-a"), expected: .noStream, events: try Self.events(2)),
                AppendRequest(stream: try StreamName("case-b"), expected: .noStream, events: try Self.events(1)),
            ]
            let first = try await store.append(atomically: requests)
            let again = try await store.append(atomically: requests)
            #expect(again.map(\.positions) == first.map(\.positions))
            #expect(again.allSatisfy(\.wasDuplicate) && !first.contains(where: \.wasDuplicate))
            #expect(try await store.head().position == 3)
        }
    }

    @Test func aStreamTwiceOrAnIdTwiceIsRefusedBeforeAnythingIsSent() async throws {
        try await TestDatabase.withEventStore { (store, _) async throws in
            let stream = try StreamName("case-a")
            let twice = await #expect(throws: EventLogError.self) {
                try await store.append(atomically: [
                    AppendRequest(stream: stream, expected: .noStream, events: try Self.events(1)),
                    AppendRequest(stream: stream, expected: .exact(0), events: try Self.events(1)),
                ])
            }
            #expect(twice?.code == .invalid && twice?.request == 1)
            let event = try AppendTests.event()
            let reused = await #expect(throws: EventLogError.self) {
                try await store.append(atomically: [
                    AppendRequest(stream: stream, expected: .noStream, events: [event]),
                    AppendRequest(stream: try StreamName("case-b"), expected: .noStream, events: [event]),
                ])
            }
            #expect(reused?.code == .invalid && reused?.request == 1)
            #expect(try await store.head().position == 0)
        }
    }

    /// Atomic appends wait for the commit slot rather than joining the writer's batches; many at
    /// once beside single appends all commit, in one gapless, intact chain.
    @Test func atomicAppendsBesideConcurrentSingleAppendsKeepTheChainIntact() async throws {
        try await TestDatabase.withEventStore { (store, _) async throws in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<20 {
                    group.addTask {
                        _ = try await store.append(atomically: [
                            AppendRequest(
                                stream: try StreamName("case-x\(task)"),
                                expected: .noStream,
                                events: try Self.events(2)
                            ),
                            AppendRequest(
                                stream: try StreamName("case-y\(task)"),
                                expected: .any,
                                events: try Self.events(1)
                            ),
                        ])
                    }
                    group.addTask {
                        _ = try await store.append(
                            to: StreamName("case-z\(task)"),
                            expected: .noStream,
                            events: Self.events(1)
                        )
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await store.head().position == 80)
            let verified = try await store.verify(from: 1, through: nil)
            #expect(verified.isIntact, "\(verified)")
        }
    }
}
