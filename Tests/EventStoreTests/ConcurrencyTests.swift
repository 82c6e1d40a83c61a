import CaselogTesting
import EventLog
import EventStore
import Foundation
import Testing

/// Many writers at once: optimistic concurrency, group commit, and gapless order across processes.
@Suite struct ConcurrencyTests {
    @Test func sixtyFourTasksRacingExactVersionsHaveOneWinnerPerVersion() async throws {
        // What is checked is who wins, not how fast: on a machine loaded by the rest of the
        // suite 512 racing appends have taken more than the default 30 s to be answered.
        var configuration = EventStore.Configuration()
        configuration.appendTimeout = .seconds(120)
        try await TestDatabase.withEventStore(configuration: configuration) { store, _ in
            let stream = try StreamName("commitment-\(UUID())")
            let rounds = 8
            for round in 0..<rounds {
                let expected: ExpectedVersion = round == 0 ? .noStream : .exact(StreamVersion(round - 1))
                let outcomes = try await withThrowingTaskGroup(of: Result<AppendResult, EventLogError>.self) { group in
                    for task in 0..<64 {
                        group.addTask {
                            let event = try NewEvent(type: "CommitmentProgressed", data: #"{"task":\#(task)}"#)
                            do throws(EventLogError) {
                                return .success(try await store.append(to: stream, expected: expected, events: [event]))
                            } catch {
                                return .failure(error)
                            }
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let winners = outcomes.compactMap { try? $0.get() }
                #expect(winners.count == 1)
                #expect(winners.first?.firstVersion == StreamVersion(round))
                for case .failure(let error) in outcomes {
                    #expect(error == .wrongVersion(stream: stream, expected: expected, actual: StreamVersion(round)))
                }
            }
            #expect(try await store.read(stream: stream).map(\.version) == (0..<StreamVersion(rounds)).map { $0 })
            #expect(try await store.verify().isIntact)
        }
    }

    @Test func concurrentAppendsAreGroupCommittedInOrder() async throws {
        try await TestDatabase.withEventStore { store, _ in
            let results = try await withThrowingTaskGroup(of: AppendResult.self) { group in
                for task in 0..<200 {
                    group.addTask {
                        let event = try NewEvent(type: "ActivityLogged", data: #"{"task":\#(task)}"#)
                        return try await store.append(to: try StreamName("activity-\(task % 50)"), events: [event])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.flatMap(\.positions).sorted() == Array(1...200))
            for stream in Set(results.map(\.stream)) {
                #expect(try await store.read(stream: stream).map(\.version) == [0, 1, 2, 3])
            }
            #expect(try await store.verify().isIntact)
        }
    }

    /// Appends sent at once, some of them stale and one a retry, are answered each for itself
    /// whether or not they share a batch: the stale ones `WRONGVERSION` with where their stream
    /// is, the retry with its original positions, the others appended.
    @Test func appendsSentTogetherAreAnsweredEachForItself() async throws {
        try await TestDatabase.withEventStore { store, _ in
            let streams = try (0..<9).map { try StreamName("case-mixed-\($0)") }
            var openings: [NewEvent] = []
            for stream in streams {
                let opening = try NewEvent(type: "CaseOpened", data: #"{"title":"t"}"#)
                openings.append(opening)
                _ = try await store.append(to: stream, expected: .noStream, events: [opening])
            }
            let retried = openings
            let outcomes = try await withThrowingTaskGroup(of: (Int, Result<AppendResult, EventLogError>).self) {
                group in
                for (index, stream) in streams.enumerated() {
                    group.addTask {
                        let note = try NewEvent(type: "CaseNoteAdded", data: #"{"note":\#(index)}"#)
                        let (expected, events): (ExpectedVersion, [NewEvent]) =
                            switch index % 3 {
                            case 0: (.exact(0), [note])
                            case 1: (.noStream, [note])
                            default: (.noStream, [retried[index]])
                            }
                        do throws(EventLogError) {
                            return (
                                index, .success(try await store.append(to: stream, expected: expected, events: events))
                            )
                        } catch {
                            return (index, .failure(error))
                        }
                    }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            for (index, stream) in streams.enumerated() {
                switch index % 3 {
                case 0:
                    #expect(try outcomes[index]?.get().firstVersion == 1)
                case 1:
                    #expect(outcomes[index] == .failure(.wrongVersion(stream: stream, expected: .noStream, actual: 0)))
                default:
                    let again = try outcomes[index]?.get()
                    #expect(again?.wasDuplicate == true && again?.positions == [LogPosition(index + 1)])
                }
            }
            #expect(try await store.head().position == 12)
            #expect(try await store.verify().isIntact)
        }
    }

    /// Two stores on one database (as two server processes) take turns at the head: each
    /// chains its appends after the head it last wrote, notices the other's commits, and every
    /// append lands once, in a chain that verifies, with times that never go backwards.
    @Test func twoStoresOnOneDatabaseTakeTurnsAtTheHead() async throws {
        try await TestDatabase.withEventStore { first, database in
            let second = EventStore(client: database.client, logger: TestDatabase.logger)
            try await withRunningServices([second]) {
                var positions: [LogPosition] = []
                for round in 0..<10 {
                    for (index, store) in [first, second].enumerated() {
                        let stream = try StreamName("case-turns-\(index)")
                        let expected: ExpectedVersion = round == 0 ? .noStream : .exact(StreamVersion(round - 1))
                        let event = try NewEvent(type: "CaseNoteAdded", data: #"{"round":\#(round)}"#)
                        positions += try await store.append(to: stream, expected: expected, events: [event]).positions
                    }
                    // An append that states no version is decided by the database function.
                    let any = try NewEvent(type: "CaseNoteAdded", data: #"{"any":\#(round)}"#)
                    positions += try await first.append(to: StreamName("case-any"), expected: .any, events: [any])
                        .positions
                }
                #expect(positions == Array(1...30))
                let events = try await first.readAll(from: 1, limit: 100)
                #expect(zip(events, events.dropFirst()).allSatisfy { $0.recordedAt <= $1.recordedAt })
                #expect(try await first.verify().isIntact)
            }
        }
    }

    /// A store skips looking up the versions it wrote last; when another process (a second store)
    /// has appended since, the unique key still refuses a stale version: `WRONGVERSION` with
    /// where the stream is, and nothing written, neither a duplicate version nor a gap.
    @Test func aVersionOneStoreWroteLastDoesNotHideAnotherStoresAppend() async throws {
        try await TestDatabase.withEventStore { first, database in
            let second = EventStore(client: database.client, logger: TestDatabase.logger)
            try await withRunningServices([second]) {
                let stream = try StreamName("commitment-remembered")
                let note = { (text: String) in try NewEvent(type: "CommitmentProgressed", data: #"{"note":"\#(text)"}"#)
                }
                _ = try await first.append(to: stream, expected: .noStream, events: [note("first opens")])
                _ = try await second.append(to: stream, expected: .exact(0), events: [note("second moves on")])
                await #expect(throws: EventLogError.wrongVersion(stream: stream, expected: .exact(0), actual: 1)) {
                    try await first.append(to: stream, expected: .exact(0), events: [note("stale")])
                }
                let other = try StreamName("commitment-remembered-new")
                _ = try await second.append(to: other, expected: .noStream, events: [note("second opens")])
                await #expect(throws: EventLogError.wrongVersion(stream: other, expected: .noStream, actual: 0)) {
                    try await first.append(to: other, expected: .noStream, events: [note("first opens too")])
                }
                let next = try await first.append(to: stream, expected: .exact(1), events: [note("first catches up")])
                #expect(next.firstVersion == 2)
                #expect(try await first.read(stream: stream).map(\.version) == [0, 1, 2])
                #expect(try await first.head().position == 4)
                #expect(try await first.verify().isIntact)
            }
        }
    }

    /// A store waiting for the log to grow hears of another process's (store's) append from its
    /// notification, not from its look at the head, which here comes only once a minute.
    @Test func anotherStoreWaitingForAppendsHearsOfThemAtOnce() async throws {
        try await TestDatabase.withEventStore { writer, database in
            var configuration = EventStore.Configuration()
            configuration.headPollInterval = .seconds(60)
            let waiter = EventStore(client: database.client, configuration: configuration, logger: TestDatabase.logger)
            try await withRunningServices([waiter]) {
                let stream = try StreamName("case-heard")
                let event = { try NewEvent(type: "CaseNoteAdded", data: #"{"note":"n"}"#) }
                _ = try await writer.append(to: stream, expected: .noStream, events: [event()])
                // The waiter's first look at the head comes once its LISTEN holds.
                await waiter.waitForAppend(after: 0, timeout: .seconds(60))
                for position in LogPosition(1)...3 {
                    _ = try await writer.append(to: stream, expected: .exact(position - 1), events: [event()])
                    let clock = ContinuousClock()
                    let waited = await clock.measure {
                        await waiter.waitForAppend(after: position, timeout: .seconds(30))
                    }
                    #expect(waited < .seconds(30), "append \(position + 1) was not announced")
                }
            }
        }
    }

    /// Two processes append while a reader tails by position: it must see every position once, in order.
    @Test func aReaderTailingByPositionNeverSkipsAnEventWrittenByTwoProcesses() async throws {
        guard let binary = ProcessInfo.processInfo.environment["CASELOG_BIN"] else {
            throw TestEnvironmentError("CASELOG_BIN is not set: run the tests with scripts/test.sh")
        }
        try await TestDatabase.withEventStore { store, database in
            let other = Process()
            other.executableURL = URL(fileURLWithPath: binary)
            other.arguments = [
                "bench", "append", "--in-database", "--appenders", "16", "--seconds", "3",
                "--database-url", database.url, "--log-level", "error",
            ]
            other.standardOutput = FileHandle.nullDevice
            try other.run()

            async let ownWrites: Int = withThrowingTaskGroup(of: Int.self) { group in
                for writer in 0..<16 {
                    group.addTask {
                        let deadline = ContinuousClock.now + .seconds(3)
                        var count = 0
                        while ContinuousClock.now < deadline {
                            let event = try NewEvent(type: "ActivityLogged", data: #"{"writer":\#(writer)}"#)
                            _ = try await store.append(to: try StreamName("activity-tail-\(writer)"), events: [event])
                            count += 1
                        }
                        return count
                    }
                }
                return try await group.reduce(0, +)
            }

            var seen: [LogPosition] = []
            while other.isRunning {
                let batch = try await store.readAll(from: (seen.last ?? 0) + 1, limit: 500)
                seen += batch.map(\.position)
                if batch.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
            }
            let written = try await ownWrites
            other.waitUntilExit()
            #expect(other.terminationStatus == 0)
            // Drain what committed after the loop's last look.
            while case let batch = try await store.readAll(from: (seen.last ?? 0) + 1, limit: 500), !batch.isEmpty {
                seen += batch.map(\.position)
            }
            let head = try await store.head().position
            #expect(written > 0 && head > Int64(written), "both processes wrote")
            #expect(seen == Array(1...head))
            #expect(try await store.verify().isIntact)
        }
    }
}
