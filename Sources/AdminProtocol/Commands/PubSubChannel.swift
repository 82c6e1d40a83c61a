import Application
import EventLog

/// A channel of the log that `SUBSCRIBE` accepts: `log` (every event), `stream:<name>` (one
/// stream's), either with `@<position>` to resume after that log position.
///
/// Without a position a subscription starts with the first event committed after it; with one,
/// the events after that position come first, then the live ones, each once and in log order.
struct PubSubChannel: Sendable, Hashable {
    /// What the channel carries.
    enum Scope: Sendable, Hashable {
        case log
        case stream(StreamName)
    }

    /// The name as the client sent it, which every message on the channel repeats.
    let name: String
    let scope: Scope
    /// The log position the client saw last, when it resumes.
    let resumesAfter: LogPosition?

    /// Parses a channel name; `INVALID channel: …` when it names no channel of the log.
    init(_ name: String) throws(CaselogError) {
        self.name = name
        var base = Substring(name)
        if let at = name.lastIndex(of: "@") {
            let digits = name[name.index(after: at)...]
            guard let position = LogPosition(digits), position >= 0, digits.allSatisfy(\.isASCII) else {
                throw Self.invalid(name, "the position after '@' must be a whole number from 0")
            }
            resumesAfter = position
            base = name[..<at]
        } else {
            resumesAfter = nil
        }
        if base == "log" {
            scope = .log
        } else if base.hasPrefix("stream:") {
            do {
                scope = .stream(try StreamName(String(base.dropFirst("stream:".count))))
            } catch {
                throw Self.invalid(name, error.message)
            }
        } else {
            throw Self.invalid(name, "must be log, stream:<name>, log@<position> or stream:<name>@<position>")
        }
    }

    /// Whether `event` is one of this channel's.
    func carries(_ event: RecordedEvent) -> Bool {
        switch scope {
        case .log: true
        case .stream(let stream): event.stream == stream.rawValue
        }
    }

    private static func invalid(_ name: String, _ rule: String) -> CaselogError {
        .invalid("channel", "'\(name)' \(rule)")
    }
}

/// One subscription's place in the log: the channel and the next position it has not yet seen.
struct ChannelFeed: Sendable, Hashable {
    let channel: PubSubChannel
    /// The first position not yet looked at.
    private(set) var next: LogPosition

    init(_ channel: PubSubChannel, from next: LogPosition) {
        self.channel = channel
        self.next = max(1, next)
    }

    /// The events of a batch read from `next` on that the channel carries, each once; `next` moves past the batch.
    mutating func take(_ events: [RecordedEvent]) -> [RecordedEvent] {
        let carried = events.filter { $0.position >= next && channel.carries($0) }
        if let last = events.last { next = max(next, last.position + 1) }
        return carried
    }
}
