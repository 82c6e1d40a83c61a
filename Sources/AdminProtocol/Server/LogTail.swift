import Application
import EventLog
import NIOCore

/// Streams the log to one connection as it commits: RESP3 push messages, or RESP2
/// subscribe-style `message` arrays, each carrying one event.
struct LogTail: Sendable {
    let backend: any AdminBackend
    let channel: any Channel
    let protocolVersion: RESPProtocolVersion

    func run(from start: Int64) async {
        var next = max(1, start)
        while !Task.isCancelled, channel.isActive {
            do {
                let events = try await backend.readAll(from: next, limit: 500)
                guard let last = events.last else {
                    try await backend.waitForAppend(after: next - 1, timeout: .seconds(5))
                    continue
                }
                var buffer = channel.allocator.buffer(capacity: 512 * events.count)
                for event in events {
                    let message = [RESPValue.bulk("message"), .bulk("log"), .event(event)]
                    RESPEncoder.encode(
                        protocolVersion == .resp3 ? .push(message) : .array(message),
                        protocolVersion: protocolVersion,
                        into: &buffer
                    )
                }
                try await channel.writeAndFlush(buffer)
                next = last.position + 1
            } catch {
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
    }
}
