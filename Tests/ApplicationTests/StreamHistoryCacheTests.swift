import Application
import Domain
import EventLog
import Testing

@Suite struct StreamHistoryCacheTests {
    static func history(_ count: Int) -> StreamHistoryCache.History {
        .init(
            events: (0..<count).map { EventPayload(type: "NoteTaken", data: #"{"n":\#($0)}"#) },
            version: StreamVersion(count - 1)
        )
    }

    static func stream(_ index: Int) throws -> StreamName { try StreamName("note-\(index)") }

    @Test func anOlderHistoryNeverReplacesANewerOne() throws {
        let cache = StreamHistoryCache()
        cache.store(Self.history(3), for: try Self.stream(1))
        cache.store(Self.history(2), for: try Self.stream(1))
        #expect(cache.history(of: try Self.stream(1))?.version == 2)
        cache.store(Self.history(5), for: try Self.stream(1))
        #expect(cache.history(of: try Self.stream(1))?.events.count == 5)
        cache.forget(try Self.stream(1))
        #expect(cache.history(of: try Self.stream(1)) == nil)
    }

    @Test func itHoldsAtMostItsCapacityAndKeepsTheRecentlyUsed() throws {
        let cache = StreamHistoryCache(capacity: 8, maxEvents: 4)
        cache.store(Self.history(1), for: try Self.stream(0))
        for index in 1...20 {
            cache.store(Self.history(1), for: try Self.stream(index))
            _ = cache.history(of: try Self.stream(0))
            #expect(cache.count <= 8)
        }
        #expect(cache.history(of: try Self.stream(0)) != nil, "the stream used all along stays")
        #expect(cache.history(of: try Self.stream(1)) == nil, "an old unused stream left")
        cache.store(Self.history(5), for: try Self.stream(0))
        #expect(cache.history(of: try Self.stream(0)) == nil, "a history over maxEvents is not kept")
    }
}
