import CaselogTesting
import EventLog
import EventStore
import Foundation
import Testing

/// Appends conditioned on streams they do not write ("stream S is still at version v"), checked
/// in the append's own statement, against a real PostgreSQL.
@Suite struct PreconditionTests {
    static let organization = try! StreamName("org-cbo-1")

    static func note(_ text: String, id: UUID = UUID()) throws -> NewEvent {
        try AppendTests.event("ActivityLogged", #"{"summary":"\#(text)"}"#, id: id)
    }

    @Test func anAppendWhosePreconditionsHoldIsAppended() async throws {
        try await TestDatabase.withEventStore { store, _ in
            _ = try await store.append(to: Self.organization, expected: .noStream, events: [Self.note("registered")])
            let activity = try StreamName("activity-\(UUID())")
            let result = try await store.append(
                to: activity,
                expected: .noStream,
                events: [Self.note("canvass")],
                preconditions: [
                    StreamPrecondition(stream: Self.organization, version: 0),
                    StreamPrecondition(stream: try StreamName("theme-vocabulary"), version: -1),
                ]
            )
            #expect(result.positions == [2])
            #expect(try await store.verify().isIntact)
        }
    }

    @Test func aPreconditionThatNoLongerHoldsRefusesTheAppendNamingItsStream() async throws {
        try await TestDatabase.withEventStore { store, _ in
            _ = try await store.append(to: Self.organization, expected: .noStream, events: [Self.note("registered")])
            _ = try await store.append(to: Self.organization, expected: .exact(0), events: [Self.note("retired")])
            let activity = try StreamName("activity-\(UUID())")
            let error = await #expect(throws: EventLogError.self) {
                try await store.append(
                    to: activity,
                    expected: .noStream,
                    events: [Self.note("canvass")],
                    preconditions: [StreamPrecondition(stream: Self.organization, version: 0)]
                )
            }
            #expect(error == .wrongVersion(stream: Self.organization, expected: .exact(0), actual: 1))
            #expect(error?.stream == Self.organization)
            #expect(try await store.version(of: activity) == -1, "nothing of the refused append is stored")
            #expect(try await store.head().position == 2)
            // A precondition of no stream fails once the stream exists.
            await #expect(throws: EventLogError.wrongVersion(stream: Self.organization, expected: .noStream, actual: 1))
            {
                try await store.append(
                    to: activity,
                    expected: .any,
                    events: [Self.note("canvass")],
                    preconditions: [StreamPrecondition(stream: Self.organization, version: -1)]
                )
            }
            let after = try await store.append(
                to: activity,
                expected: .noStream,
                events: [Self.note("canvass")],
                preconditions: [StreamPrecondition(stream: Self.organization, version: 1)]
            )
            #expect(after.positions == [3])
            #expect(try await store.verify().isIntact)
        }
    }

    @Test func appendsGroupedTogetherAreDecidedEachOnItsOwnPreconditions() async throws {
        try await TestDatabase.withEventStore { store, _ in
            _ = try await store.append(to: Self.organization, expected: .noStream, events: [Self.note("registered")])
            let rows = try (0..<40).map { index in try Self.note("row \(index)") }
            let outcomes = await withTaskGroup(of: (Int, Result<AppendResult, EventLogError>).self) { group in
                for index in 0..<40 {
                    group.addTask {
                        do throws(EventLogError) {
                            let stream = try StreamName("activity-grouped-\(index)")
                            let stated: StreamVersion = index.isMultiple(of: 2) ? 0 : 5
                            return (
                                index,
                                .success(
                                    try await store.append(
                                        to: stream,
                                        expected: .noStream,
                                        events: [rows[index]],
                                        preconditions: [StreamPrecondition(stream: Self.organization, version: stated)]
                                    )
                                )
                            )
                        } catch {
                            return (index, .failure(error))
                        }
                    }
                }
                return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            for (index, outcome) in outcomes {
                if index.isMultiple(of: 2) {
                    #expect((try? outcome.get()) != nil, "append \(index) holds its precondition: \(outcome)")
                } else {
                    #expect(
                        throws: EventLogError.wrongVersion(stream: Self.organization, expected: .exact(5), actual: 0)
                    ) { try outcome.get() }
                }
            }
            #expect(try await store.head().position == 21)
            #expect(try await store.verify().isIntact)
        }
    }

    /// When another process appended to the written stream after this store last did, a failed
    /// precondition is still found by the chained statement; one that holds lets it on to the
    /// unique key, which refuses the stale version, and the procedure that settles such appends
    /// checks the preconditions again before it appends.
    @Test func preconditionsHoldAcrossProcessesAndThroughTheSettlingProcedure() async throws {
        try await TestDatabase.withEventStore { first, database in
            let second = EventStore(client: database.client, logger: TestDatabase.logger)
            try await withRunningServices([second]) {
                let theme = try StreamName("theme-vocabulary")
                _ = try await first.append(
                    to: Self.organization,
                    expected: .noStream,
                    events: [Self.note("registered")]
                )
                _ = try await first.append(to: theme, expected: .noStream, events: [Self.note("housing")])
                _ = try await second.append(to: theme, expected: .exact(0), events: [Self.note("schools")])
                // `first` remembers the theme stream at version 0; it is at 1.
                await #expect(
                    throws: EventLogError.wrongVersion(stream: Self.organization, expected: .noStream, actual: 0)
                ) {
                    try await first.append(
                        to: theme,
                        expected: .any,
                        events: [Self.note("transit")],
                        preconditions: [StreamPrecondition(stream: Self.organization, version: -1)]
                    )
                }
                #expect(try await first.version(of: theme) == 1, "the refused append wrote nothing")
                let held = try await first.append(
                    to: theme,
                    expected: .any,
                    events: [Self.note("transit")],
                    preconditions: [StreamPrecondition(stream: Self.organization, version: 0)]
                )
                #expect(held.firstVersion == 2)
                #expect(try await first.verify().isIntact)
            }
        }
    }

    @Test func aRetryOfAnAppendThatHeldAnswersItsPositionsEvenAfterThePreconditionMoved() async throws {
        try await TestDatabase.withEventStore { store, _ in
            _ = try await store.append(to: Self.organization, expected: .noStream, events: [Self.note("registered")])
            let activity = try StreamName("activity-\(UUID())")
            let event = try Self.note("canvass")
            let condition = StreamPrecondition(stream: Self.organization, version: 0)
            let original = try await store.append(
                to: activity,
                expected: .noStream,
                events: [event],
                preconditions: [condition]
            )
            _ = try await store.append(to: Self.organization, expected: .exact(0), events: [Self.note("renamed")])
            let retry = try await store.append(
                to: activity,
                expected: .noStream,
                events: [event],
                preconditions: [condition]
            )
            #expect(retry.positions == original.positions)
            #expect(retry.wasDuplicate)
        }
    }

    @Test func malformedPreconditionsAreRefusedNamingWhatIsWrong() async throws {
        try await TestDatabase.withEventStore { store, _ in
            let activity = try StreamName("activity-\(UUID())")
            let cases: [([StreamPrecondition], String)] = [
                ([StreamPrecondition(stream: activity, version: -1)], "the appended stream or named twice"),
                (
                    [
                        StreamPrecondition(stream: Self.organization, version: 0),
                        StreamPrecondition(stream: Self.organization, version: 1),
                    ], "stream org-cbo-1 is the appended stream or named twice"
                ),
                ([StreamPrecondition(stream: Self.organization, version: -2)], "-1 (no stream) or more"),
            ]
            for (preconditions, rule) in cases {
                let error = await #expect(throws: EventLogError.self) {
                    try await store.append(
                        to: activity,
                        expected: .noStream,
                        events: [Self.note("canvass")],
                        preconditions: preconditions
                    )
                }
                #expect(error?.code == .invalid)
                #expect(error?.message.contains(rule) == true, "\(String(describing: error))")
            }
            let atomic = await #expect(throws: EventLogError.self) {
                try await store.append(atomically: [
                    AppendRequest(
                        stream: activity,
                        expected: .noStream,
                        events: [try Self.note("canvass")],
                        preconditions: [StreamPrecondition(stream: Self.organization, version: -2)]
                    )
                ])
            }
            #expect(atomic?.code == .invalid)
            #expect(atomic?.message.contains("-1 (no stream) or more") == true)
            #expect(try await store.head().position == 0)
        }
    }

    @Test func anAtomicAppendIsMadeOnlyWhileItsPreconditionsHold() async throws {
        try await TestDatabase.withEventStore { store, _ in
            _ = try await store.append(to: Self.organization, expected: .noStream, events: [Self.note("registered")])
            let first = try StreamName("activity-\(UUID())")
            let second = try StreamName("activity-\(UUID())")
            func requests(organizationAt version: StreamVersion) throws -> [AppendRequest] {
                [
                    AppendRequest(stream: first, expected: .noStream, events: [try Self.note("one")]),
                    AppendRequest(
                        stream: second,
                        expected: .noStream,
                        events: [try Self.note("two")],
                        preconditions: [StreamPrecondition(stream: Self.organization, version: version)]
                    ),
                ]
            }
            _ = try await store.append(to: Self.organization, expected: .exact(0), events: [Self.note("retired")])
            let error = await #expect(throws: EventLogError.self) {
                try await store.append(atomically: requests(organizationAt: 0))
            }
            #expect(error?.code == .wrongVersion)
            #expect(
                error?.message
                    == EventLogError.wrongVersion(stream: Self.organization, expected: .exact(0), actual: 1).message
            )
            #expect(error?.stream == Self.organization)
            #expect(error?.request == 1)
            #expect(try await store.version(of: first) == -1, "nothing of the refused append is stored")
            #expect(try await store.head().position == 2)

            let appended = try await store.append(atomically: requests(organizationAt: 1))
            #expect(appended.map(\.positions) == [[3], [4]])
            #expect(try await store.verify().isIntact)
        }
    }

    @Test func anAtomicAppendMayNotConditionAStreamItWrites() async throws {
        try await TestDatabase.withEventStore { store, _ in
            let first = try StreamName("activity-\(UUID())")
            let error = await #expect(throws: EventLogError.self) {
                try await store.append(atomically: [
                    AppendRequest(stream: Self.organization, expected: .noStream, events: [try Self.note("one")]),
                    AppendRequest(
                        stream: first,
                        expected: .noStream,
                        events: [try Self.note("two")],
                        preconditions: [StreamPrecondition(stream: Self.organization, version: -1)]
                    ),
                ])
            }
            #expect(error?.code == .invalid)
            #expect(error?.message.contains("stream org-cbo-1 is the appended stream or named twice") == true)
            #expect(try await store.head().position == 0)
        }
    }
}
