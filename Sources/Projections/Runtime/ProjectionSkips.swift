import EventLog
import EventStore
import ReadModels

/// The `PROJECTION SKIP` decisions recorded for a projection, read from its `projection-<name>` stream.
enum ProjectionSkips {
    static func recorded(for projection: String, in store: EventStore) async throws(EventLogError) -> [ProjectionSkip] {
        let stream = try StreamName(ProjectionSkip.stream(of: projection))
        var skips: [ProjectionSkip] = []
        var version: StreamVersion = 0
        while case let events = try await store.read(stream: stream, from: version, limit: 1000), !events.isEmpty {
            skips += events.compactMap { ProjectionSkip(type: $0.type, data: $0.data) }
            version += StreamVersion(events.count)
        }
        return skips
    }
}
