import Domain
import EventLog
import Synchronization
import Testing

@testable import Application

/// The decide → append → retry loop against the in-memory log.
@Suite struct StreamWriterTests {
    let log = InMemoryLog()
    let stream = try! StreamName("case-1")

    /// Writes one `Mine` event decided on the stream's history; answers how many events each decision saw.
    func writeMine(expected: StreamVersion? = nil, cache: StreamHistoryCache? = nil) async throws(CaselogError)
        -> (outcome: StreamWriter.Outcome<Void>, seen: [Int])
    {
        let seen = Mutex<[Int]>([])
        let outcome = try await StreamWriter.write(
            to: stream,
            expected: expected,
            metadata: "{}",
            backend: log,
            cache: cache
        ) { history, _ throws(DomainError) in
            seen.withLock { $0.append(history.count) }
            return ([EventPayload(type: "Mine", data: "{}")], ())
        }
        return (outcome, seen.withLock { $0 })
    }

    @Test func aConcurrentChangeIsDecidedAgainAndNeitherIsLost() async throws {
        log.appendBehind(stream, type: "First")
        let once = Atomic<Bool>(false)
        log.beforeAppend { log, stream in
            if !once.exchange(true, ordering: .relaxed) { log.appendBehind(stream, type: "Theirs") }
        }
        let (outcome, seen) = try await writeMine()
        #expect(seen == [1, 2])
        #expect(outcome.version == 2)
        #expect(log.count(stream) == 3)
    }

    @Test func anExplicitExpectedVersionIsNotRetried() async throws {
        log.appendBehind(stream, type: "First")
        log.beforeAppend { log, stream in log.appendBehind(stream, type: "Theirs") }
        await #expect(throws: CaselogError(.wrongVersion, "stream case-1: expected version 0, actual 1")) {
            try await writeMine(expected: 0)
        }
        #expect(log.count(stream) == 2)
    }

    @Test func aStreamThatKeepsChangingEndsInConflict() async throws {
        log.beforeAppend { log, stream in log.appendBehind(stream, type: "Theirs") }
        let error = await #expect(throws: CaselogError.self) { try await writeMine() }
        #expect(error?.code == .conflict)
        #expect(log.count(stream) == StreamWriter.attempts)
    }

    @Test func aStaleCachedHistoryCostsOneRetryAndCatchesUp() async throws {
        let cache = StreamHistoryCache()
        _ = try await writeMine(cache: cache)
        log.appendBehind(stream, type: "Theirs")
        let (outcome, seen) = try await writeMine(cache: cache)
        #expect(seen == [1, 2])
        #expect(outcome.version == 2)
        #expect(cache.history(of: stream)?.events.map(\.type) == ["Mine", "Theirs", "Mine"])
    }

    @Test func aRefusedDecisionAppendsNothing() async throws {
        await #expect(throws: CaselogError(.invalid, "note: must not be empty", field: "note")) {
            try await StreamWriter.write(to: stream, metadata: "{}", backend: log) {
                _,
                _ throws(DomainError) -> ([EventPayload], Void) in
                throw .invalid("note", "must not be empty")
            }
        }
        #expect(log.count(stream) == 0)
    }
}
