import Application
import EventLog
import NIOCore

/// Follows the log for one connection: reads every event from a position on as it commits and
/// hands the batches on, in order, each event once.
struct LogTail: Sendable {
    let backend: any AdminBackend

    /// Reads from `start` until the task is cancelled or `deliver` answers false (the connection
    /// is gone or the subscription ended); waits for the next commit when it has read everything.
    func run(from start: LogPosition, deliver: ([RecordedEvent]) async -> Bool) async {
        var next = max(1, start)
        while !Task.isCancelled {
            do {
                let events = try await backend.readAll(from: next, limit: 500)
                guard let last = events.last else {
                    try await backend.waitForAppend(after: next - 1, timeout: .seconds(5))
                    continue
                }
                guard await deliver(events) else { return }
                next = last.position + 1
            } catch {
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    /// `LOG TAIL`: every event pushed to `channel` as `[message, log, event-map]` (RESP3 push, RESP2 array).
    func push(from start: LogPosition, to channel: any Channel, protocolVersion: RESPProtocolVersion) async {
        await run(from: start) { events in
            var buffer = channel.allocator.buffer(capacity: 512 * events.count)
            for event in events {
                let message = [RESPValue.bulk("message"), .bulk("log"), .event(event)]
                RESPEncoder.encode(
                    protocolVersion == .resp3 ? .push(message) : .array(message),
                    protocolVersion: protocolVersion,
                    into: &buffer
                )
            }
            do {
                try await channel.writeAndFlush(buffer)
                return true
            } catch {
                return false
            }
        }
    }
}
