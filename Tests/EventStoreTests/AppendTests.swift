import CaselogTesting
import EventLog
import EventStore
import Foundation
import PostgresNIO
import Testing

/// Appends and reads against a real PostgreSQL.
@Suite struct AppendTests {
    static func event(_ type: String = "CaseNoteAdded", _ data: String = #"{"note":"hello"}"#, id: UUID = UUID()) throws
        -> NewEvent
    {
        try NewEvent(id: id, type: type, data: data, metadata: #"{"actor":"tests"}"#)
    }

    @Test func appendsAtomicallyAndReadsBack() async throws {
        try await TestDatabase.withEventStore { store, _ in
            let stream = try StreamName("case-\(UUID())")
            let events = try (0..<3).map { try Self.event("CaseNoteAdded", #"{"n":\#($0),"text":"ünïcødé ✓"}"#) }
            let result = try await store.append(to: stream, expected: .noStream, events: events)
            #expect(result.positions == [1, 2, 3])
            #expect(result.firstVersion == 0 && result.lastVersion == 2 && !result.wasDuplicate)

            let read = try await store.read(stream: stream)
            #expect(read.map(\.id) == events.map(\.id))
            #expect(read.map(\.version) == [0, 1, 2])
            #expect(read.map(\.data) == events.map(\.data))
            #expect(read[0].previousHash == EventChain.genesisHash && read[1].previousHash == read[0].hash)
            #expect(try await store.read(stream: stream, from: 2).map(\.version) == [2])
            #expect(try await store.head().position == 3)
            #expect(try await store.version(of: stream) == 2)
            #expect(try await store.version(of: StreamName("case-none")) == -1)
        }
    }

    /// The writer gathers the next batch while one commits; an event is still recorded at the
    /// time it was appended, not when the writer last had work, and never before the one before it.
    @Test func anEventIsRecordedAtTheTimeOfItsAppend() async throws {
        try await TestDatabase.withEventStore { store, _ in
            let stream = try StreamName("case-times")
            _ = try await store.append(to: stream, expected: .noStream, events: [Self.event()])
            try await Task.sleep(for: .milliseconds(300))
            let sent = Timestamp.now
            _ = try await store.append(to: stream, expected: .exact(0), events: [Self.event()])
            let done = Timestamp.now
            let read = try await store.read(stream: stream)
            #expect(
                read[1].recordedAt >= sent && read[1].recordedAt <= done,
                "\(read[1].recordedAt) not in \(sent)…\(done)"
            )
            #expect(read[0].recordedAt < read[1].recordedAt)
        }
    }

    @Test func manyStreamsAreReadInOneQueryEachFromItsOwnVersion() async throws {
        try await TestDatabase.withEventStore { store, _ in
            let (a, b, none) = (try StreamName("case-a"), try StreamName("case-b"), try StreamName("case-none"))
            _ = try await store.append(to: a, expected: .noStream, events: (0..<3).map { _ in try Self.event() })
            _ = try await store.append(to: b, expected: .noStream, events: (0..<2).map { _ in try Self.event() })
            let read = try await store.read(streams: [b, none, a], from: [0, 0, 1])
            #expect(read.map { "\($0.stream) \($0.version)" } == ["case-a 1", "case-a 2", "case-b 0", "case-b 1"])
            #expect(try await store.read(streams: [], from: []).isEmpty)
            await #expect(throws: EventLogError.self) { try await store.read(streams: [a], from: []) }
        }
    }

    @Test func aReaderOfSomeEventTypesGetsOnlyThoseAndHowFarItsReadCovered() async throws {
        try await TestDatabase.withEventStore { store, _ in
            let types = ["CaseOpened", "NoteTaken", "Case_Odd", "CaseClosed", "NoteTaken", "CaseXOdd"]
            for type in types {
                _ = try await store.append(to: try StreamName("mixed-1"), events: [Self.event(type)])
            }
            let cases = try await store.readAll(from: 1, limit: 10, typePrefixes: ["Case"])
            #expect(cases.events.map(\.type) == ["CaseOpened", "Case_Odd", "CaseClosed", "CaseXOdd"])
            #expect(cases.through == 6, "fewer than the limit: the read covered the whole log")

            let full = try await store.readAll(from: 1, limit: 2, typePrefixes: ["Case"])
            #expect(
                full.events.map(\.position) == [1, 3] && full.through == 3,
                "a full batch covers up to its last event"
            )

            let underscore = try await store.readAll(from: 1, limit: 10, typePrefixes: ["Case_"])
            #expect(underscore.events.map(\.type) == ["Case_Odd"], "prefixes are literal, not patterns")

            let none = try await store.readAll(from: 7, limit: 10, typePrefixes: ["Case"])
            #expect(none.events.isEmpty && none.through == 6)
            let every = try await store.readAll(from: 5, limit: 10, typePrefixes: nil)
            #expect(every.events.map(\.position) == [5, 6] && every.through == 6)
        }
    }

    @Test func expectedVersionsFollowEventStoreSemantics() async throws {
        try await TestDatabase.withEventStore { store, _ in
            let stream = try StreamName("commitment-\(UUID())")
            await #expect(throws: EventLogError.wrongVersion(stream: stream, expected: .exists, actual: -1)) {
                try await store.append(to: stream, expected: .exists, events: [Self.event()])
            }
            await #expect(throws: EventLogError.wrongVersion(stream: stream, expected: .exact(0), actual: -1)) {
                try await store.append(to: stream, expected: .exact(0), events: [Self.event()])
            }
            _ = try await store.append(to: stream, expected: .noStream, events: [Self.event()])
            await #expect(throws: EventLogError.wrongVersion(stream: stream, expected: .noStream, actual: 0)) {
                try await store.append(to: stream, expected: .noStream, events: [Self.event()])
            }
            _ = try await store.append(to: stream, expected: .exists, events: [Self.event()])
            _ = try await store.append(to: stream, expected: .exact(1), events: [Self.event()])
            await #expect(throws: EventLogError.wrongVersion(stream: stream, expected: .exact(1), actual: 2)) {
                try await store.append(to: stream, expected: .exact(1), events: [Self.event()])
            }
            let last = try await store.append(to: stream, expected: .any, events: [Self.event()])
            #expect(last.firstVersion == 3)
            #expect(try await store.head().position == 4)
        }
    }

    /// An append that cannot commit in time (another process holds the log head) is answered
    /// `UNAVAILABLE` at its time limit; retrying it with the same ids lands it exactly once.
    @Test func anAppendHeldPastItsTimeLimitIsUnavailableAndItsRetryLandsOnce() async throws {
        var configuration = EventStore.Configuration()
        configuration.appendTimeout = .seconds(1)
        try await TestDatabase.withEventStore(configuration: configuration) { store, database in
            let stream = try StreamName("case-\(UUID())")
            let event = try Self.event()
            try await database.client.withTransaction(logger: TestDatabase.logger) { connection in
                try await connection.query("SELECT position FROM log_head FOR UPDATE", logger: TestDatabase.logger)
                let clock = ContinuousClock()
                let start = clock.now
                do {
                    _ = try await store.append(to: stream, events: [event])
                    Issue.record("the append committed while the log head was locked")
                } catch {
                    #expect((error as? EventLogError)?.code == .unavailable, "\(error)")
                }
                #expect(clock.now - start < .seconds(5), "answered at its time limit, not when the lock went")
            }
            // As a client would: retry while the outcome is unknown (a loaded machine may take
            // more than the one-second limit once more while the held append commits).
            var retried: AppendResult?
            for _ in 0..<10 where retried == nil {
                do {
                    retried = try await store.append(to: stream, events: [event])
                } catch let error as EventLogError where error.code == .unavailable {
                    continue
                }
            }
            #expect(retried?.positions == [1])
            #expect(try await store.read(stream: stream).map(\.id) == [event.id])
        }
    }

    /// An append is acknowledged only once its transaction has committed. Here a deferred check
    /// refuses the event at commit time, after the statement has delivered its rows (as when the
    /// backend is terminated mid-commit): the append fails, the log holds nothing of it, and the
    /// stream's next append gets the version it would have got, through either append path.
    /// Appends without a stated version are chained at the version their stream is assumed at;
    /// a wrong assumption — another process appended meanwhile, or two appends of one batch go
    /// to one stream — never loses, repeats or misnumbers an event.
    @Test func anyAndExistsAppendsLandAtTheRightVersionsWhateverTheWriterRemembers() async throws {
        try await TestDatabase.withEventStore { first, database in
            let second = EventStore(client: database.client, logger: TestDatabase.logger)
            try await withRunningServices([second]) {
                let stream = try StreamName("case-\(UUID())")
                var versions: [StreamVersion] = []
                for round in 0..<6 {
                    let store = round % 3 == 2 ? second : first
                    let expected: ExpectedVersion = round == 0 ? .any : (round % 2 == 0 ? .exists : .any)
                    versions.append(
                        try await store.append(to: stream, expected: expected, events: [Self.event()]).firstVersion
                    )
                }
                #expect(versions == [0, 1, 2, 3, 4, 5], "each store's memory was stale in turn")
                async let one = first.append(to: stream, expected: .any, events: [Self.event(), Self.event()])
                async let other = first.append(to: stream, expected: .any, events: [Self.event()])
                let together = try await [one.firstVersion, other.firstVersion].sorted()
                #expect(together == [6, 8] || together == [6, 7])
                #expect(try await first.read(stream: stream).map(\.version) == Array(0...8))
                let missing = try StreamName("case-\(UUID())")
                await #expect(throws: EventLogError.wrongVersion(stream: missing, expected: .exists, actual: -1)) {
                    try await second.append(to: missing, expected: .exists, events: [Self.event()])
                }
                #expect(try await first.read(stream: missing).isEmpty)
                #expect(try await first.verify().isIntact)
            }
        }
    }

    @Test(arguments: [ExpectedVersion.noStream, .any])
    func anAppendWhoseCommitFailsIsNotAcknowledged(expected: ExpectedVersion) async throws {
        try await TestDatabase.withEventStore { store, database in
            for statement in [
                """
                CREATE FUNCTION refuse_at_commit() RETURNS trigger LANGUAGE plpgsql
                AS $$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$
                """,
                """
                CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON events
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.type = 'RefusedAtCommit')
                EXECUTE FUNCTION refuse_at_commit()
                """,
            ] {
                try await database.client.query(PostgresQuery(unsafeSQL: statement), logger: TestDatabase.logger)
            }
            let stream = try StreamName("case-\(UUID())")
            await #expect(throws: EventLogError.self) {
                try await store.append(to: stream, expected: expected, events: [Self.event("RefusedAtCommit")])
            }
            #expect(try await store.read(stream: stream).isEmpty)
            #expect(try await store.head().position == 0)
            let next = try await store.append(to: stream, expected: expected, events: [Self.event()])
            #expect(next.positions == [1] && next.firstVersion == 0)
            #expect(try await store.verify().isIntact)
        }
    }

    /// Appends arriving while another commits (here held up by a lock on the log head) wait for
    /// it, then commit after it, together in one transaction.
    @Test func appendsArrivingWhileAnotherCommitsFollowItTogether() async throws {
        try await TestDatabase.withEventStore { store, database in
            let first = try StreamName("case-first")
            let followers = try (0..<10).map { try StreamName("case-follower-\($0)") }
            let (held, following) = try await database.client.withTransaction(logger: TestDatabase.logger) {
                connection in
                try await connection.query("SELECT position FROM log_head FOR UPDATE", logger: TestDatabase.logger)
                let held = Task { try await store.append(to: first, expected: .noStream, events: [Self.event()]) }
                // Asked on another connection: a transaction sees the activity of others as it
                // was at its first look.
                try await waitUntil("the first append waits for the lock on the head") {
                    let rows = try await database.client.query(
                        """
                        SELECT count(*) FROM pg_stat_activity
                        WHERE datname = current_database() AND wait_event_type = 'Lock'
                        """,
                        logger: TestDatabase.logger
                    )
                    var waiting: Int64 = 0
                    for try await count in rows.decode(Int64.self) { waiting = count }
                    return waiting == 1
                }
                let following = followers.map { stream in
                    Task { try await store.append(to: stream, expected: .noStream, events: [Self.event()]) }
                }
                try await waitUntil("the followers wait for the writer") {
                    store.appendsWaitingForTheWriter == followers.count
                }
                return (held, following)
            }
            #expect(try await held.value.positions == [1])
            var positions: [LogPosition] = []
            for task in following { positions += try await task.value.positions }
            #expect(positions.sorted() == Array(2...11))
            let recorded = try await store.readAll(from: 2).map(\.recordedAt)
            #expect(recorded.count == 10 && Set(recorded).count == 1, "one transaction, one time: \(recorded)")
            #expect(try await store.verify().isIntact)
        }
    }

    @Test func retryWithSameIdsAndContentReturnsTheOriginalPositions() async throws {
        try await TestDatabase.withEventStore { store, _ in
            let stream = try StreamName("activity-\(UUID())")
            _ = try await store.append(to: try StreamName("org-other"), events: [Self.event()])
            let events = [
                try Self.event("ActivityLogged", #"{"a":1}"#), try Self.event("ActivityCorrected", #"{"a":2}"#),
            ]
            let first = try await store.append(to: stream, expected: .noStream, events: events)
            // The retry's expected version no longer holds, and its metadata differs: still the same append.
            let retried = try events.map {
                try NewEvent(id: $0.id, type: $0.type, data: $0.data, metadata: #"{"retry":true}"#)
            }
            let again = try await store.append(to: stream, expected: .noStream, events: retried)
            #expect(
                again.positions == first.positions && again.firstVersion == first.firstVersion && again.wasDuplicate
            )
            #expect(try await store.head().position == 3)
        }
    }

    @Test func sameIdWithOtherContentIsAConflictAndAppendsNothing() async throws {
        try await TestDatabase.withEventStore { store, _ in
            let stream = try StreamName("case-\(UUID())")
            let original = try Self.event("CaseOpened", #"{"title":"a"}"#)
            _ = try await store.append(to: stream, events: [original])
            let cases: [(StreamName, NewEvent)] = [
                (stream, try Self.event("CaseOpened", #"{"title":"b"}"#, id: original.id)),
                (stream, try Self.event("CaseClosed", #"{"title":"a"}"#, id: original.id)),
                (try StreamName("case-elsewhere"), original),
            ]
            for (target, event) in cases {
                await #expect {
                    try await store.append(to: target, events: [try Self.event(), event])
                } throws: { error in
                    (error as? EventLogError)?.code == .conflict
                }
            }
            #expect(try await store.head().position == 1)
        }
    }

    @Test func badInputIsRefusedWithACodeAndNothingIsAppended() async throws {
        var configuration = EventStore.Configuration()
        configuration.maxEventBytes = 1 << 20
        try await TestDatabase.withEventStore(configuration: configuration) { store, _ in
            let stream = try StreamName("case-\(UUID())")
            await #expect(throws: EventLogError.invalid("events", "an append needs at least one event")) {
                try await store.append(to: stream, events: [])
            }
            let twice = try Self.event()
            await #expect(throws: EventLogError.invalid("id", "an event id appears twice in one append")) {
                try await store.append(to: stream, events: [twice, twice])
            }
            let big = try NewEvent(
                type: "CaseNoteAdded",
                data: #"{"note":"\#(String(repeating: "x", count: 1 << 20))"}"#
            )
            await #expect {
                try await store.append(to: stream, events: [try Self.event(), big])
            } throws: { error in
                let error = error as? EventLogError
                return error?.code == .tooLarge && error?.message.contains("over the limit of 1048576") == true
            }
            #expect(try await store.head().position == 0)
            #expect(try await store.read(stream: stream).isEmpty)
        }
    }

    @Test func readsTheWholeLogInBatchesByPosition() async throws {
        try await TestDatabase.withEventStore { store, _ in
            for index in 0..<25 {
                _ = try await store.append(to: try StreamName("case-\(index % 4)"), events: [Self.event()])
            }
            var positions: [Int64] = []
            var next: Int64 = 1
            while case let batch = try await store.readAll(from: next, limit: 7), !batch.isEmpty {
                positions += batch.map(\.position)
                next = batch.last!.position + 1
            }
            #expect(positions == Array(1...25))
        }
    }
}
