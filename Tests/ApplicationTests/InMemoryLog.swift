import Application
import EventLog
import Foundation
import Synchronization

/// The application's event-log port kept in memory, for testing the services without a database.
///
/// `beforeAppend` runs before each append is checked, so a test can make a concurrent writer get
/// there first. Hashes are not computed: nothing here verifies the chain.
final class InMemoryLog: AdminBackend {
    private let events = Mutex<[RecordedEvent]>([])
    private let hook = Mutex<(@Sendable (InMemoryLog, StreamName) -> Void)?>(nil)

    /// Runs `body` before every append from now on (never for the appends `body` makes itself).
    func beforeAppend(_ body: @escaping @Sendable (InMemoryLog, StreamName) -> Void) {
        hook.withLock { $0 = body }
    }

    /// Appends `type` to `stream` unconditionally, as another writer would.
    func appendBehind(_ stream: StreamName, type: String, data: String = "{}") {
        let event = try! NewEvent(type: type, data: data)
        events.withLock { events in
            let version = events.last { $0.stream == stream.rawValue }?.version ?? -1
            events.append(Self.record(event, stream: stream, version: version + 1, position: events.count + 1))
        }
    }

    /// How many events `stream` holds.
    func count(_ stream: StreamName) -> Int {
        events.withLock { $0.filter { $0.stream == stream.rawValue }.count }
    }

    func append(
        to stream: StreamName,
        expected: ExpectedVersion,
        events new: [NewEvent],
        preconditions: [StreamPrecondition]
    ) async throws(EventLogError) -> AppendResult {
        if let hook = hook.withLock({ $0 }) { hook(self, stream) }
        return try events.withLock { (events) throws(EventLogError) -> AppendResult in
            let actual = events.last { $0.stream == stream.rawValue }?.version ?? -1
            guard expected.isSatisfied(by: actual) else {
                throw .wrongVersion(stream: stream, expected: expected, actual: actual)
            }
            for condition in preconditions {
                let found = events.last { $0.stream == condition.stream.rawValue }?.version ?? -1
                guard found == condition.version else {
                    throw .wrongVersion(stream: condition.stream, expected: condition.expected, actual: found)
                }
            }
            var positions: [LogPosition] = []
            for (offset, event) in new.enumerated() {
                let position = LogPosition(events.count + 1)
                events.append(
                    Self.record(
                        event,
                        stream: stream,
                        version: actual + 1 + StreamVersion(offset),
                        position: events.count + 1
                    )
                )
                positions.append(position)
            }
            return AppendResult(stream: stream, positions: positions, firstVersion: actual + 1, wasDuplicate: false)
        }
    }

    func append(atomically requests: [AppendRequest]) async throws(EventLogError) -> [AppendResult] {
        for request in requests {
            if let hook = hook.withLock({ $0 }) { hook(self, request.stream) }
        }
        return try events.withLock { (events) throws(EventLogError) -> [AppendResult] in
            for (index, request) in requests.enumerated() {
                let actual = events.last { $0.stream == request.stream.rawValue }?.version ?? -1
                guard request.expected.isSatisfied(by: actual) else {
                    throw EventLogError.wrongVersion(stream: request.stream, expected: request.expected, actual: actual)
                        .refusing(request: index)
                }
            }
            return requests.map { request in
                let actual = events.last { $0.stream == request.stream.rawValue }?.version ?? -1
                let first = LogPosition(events.count + 1)
                for (offset, event) in request.events.enumerated() {
                    events.append(
                        Self.record(
                            event,
                            stream: request.stream,
                            version: actual + 1 + StreamVersion(offset),
                            position: events.count + 1
                        )
                    )
                }
                return AppendResult(
                    stream: request.stream,
                    positions: Array(first..<(first + LogPosition(request.events.count))),
                    firstVersion: actual + 1,
                    wasDuplicate: false
                )
            }
        }
    }

    func read(stream: StreamName, from version: StreamVersion, limit: Int) async throws(EventLogError)
        -> [RecordedEvent]
    {
        events.withLock { Array($0.filter { $0.stream == stream.rawValue && $0.version >= version }.prefix(limit)) }
    }

    func readAll(from position: LogPosition, limit: Int) async throws(EventLogError) -> [RecordedEvent] {
        events.withLock { Array($0.filter { $0.position >= position }.prefix(limit)) }
    }

    func head() async throws(EventLogError) -> LogHead {
        LogHead(position: events.withLock { LogPosition($0.count) }, hash: [])
    }

    func version(of stream: StreamName) async throws(EventLogError) -> StreamVersion {
        events.withLock { $0.last { $0.stream == stream.rawValue }?.version ?? -1 }
    }

    func verify(from position: LogPosition, through end: LogPosition?) async throws(EventLogError)
        -> VerificationReport
    {
        throw EventLogError(.unavailable, "the in-memory log keeps no hash chain")
    }

    func streams(withPrefix prefix: String) async throws(EventLogError) -> [String] {
        events.withLock { Set($0.map(\.stream).filter { $0.hasPrefix(prefix) }).sorted() }
    }

    func waitForAppend(after position: LogPosition, timeout: Duration) async throws(EventLogError) {
        throw EventLogError(.unavailable, "the in-memory log does not wait")
    }

    private static func record(_ event: NewEvent, stream: StreamName, version: StreamVersion, position: Int)
        -> RecordedEvent
    {
        RecordedEvent(
            position: LogPosition(position),
            stream: stream.rawValue,
            version: version,
            id: event.id,
            type: event.type,
            data: event.data,
            metadata: event.metadata,
            recordedAt: .now,
            previousHash: [],
            hash: []
        )
    }
}
