import Application
import EventLog

/// Live history the Redis way: `SUBSCRIBE log`, `SUBSCRIBE stream:<name>`, `log@<position>` to
/// resume (see `PubSubChannel`); each event arrives as `[message, channel, event-json]`.
enum PubSubCommands {
    static let all: [CommandSpec] = [
        CommandSpec(
            "SUBSCRIBE",
            arguments: 1...1,
            unbounded: true,
            access: LogCommands.tailers,
            allowedWhileSubscribed: true,
            synopsis: "channel [channel ...]",
            summary:
                "Pushes the log's events as they commit: log, stream:<name>, or either @position to resume after it.",
            handler: .deferred(subscribe)
        ),
        CommandSpec(
            "UNSUBSCRIBE",
            arguments: 0...0,
            unbounded: true,
            access: .anyone,
            allowedWhileSubscribed: true,
            synopsis: "[channel ...]",
            summary: "Stops the channels' messages, or every channel's.",
            handler: .immediate { session, arguments, _ in
                var session = session
                var names: [String] = []
                for index in 0..<arguments.count { names.append(try arguments.string(index, field: "channel")) }
                let (confirmations, removed) = session.subscriptions.unsubscribe(names)
                return reply(confirmations, start: [], stop: removed, session: session)
            }
        ),
    ]

    /// `SUBSCRIBE channel [channel ...]`: every channel is checked before any is subscribed.
    @Sendable static func subscribe(_ invocation: CommandInvocation) async throws -> CommandReply {
        let arguments = invocation.arguments
        var channels: [PubSubChannel] = []
        for index in 0..<arguments.count {
            channels.append(try PubSubChannel(arguments.string(index, field: "channel")))
        }
        // Read before confirming: an event committed after the confirmation is never missed.
        let head = try await invocation.context.backend.head().position
        if let ahead = channels.first(where: { ($0.resumesAfter ?? 0) > head }) {
            throw CaselogError.invalid(
                "channel",
                "'\(ahead.name)' resumes after position \(ahead.resumesAfter ?? 0), past the log's head \(head)"
            )
        }
        var session = invocation.session
        let (confirmations, added) = session.subscriptions.subscribe(channels.map(\.name))
        let feeds = channels.filter { added.contains($0.name) }.uniqued.map { channel in
            ChannelFeed(channel, from: (channel.resumesAfter ?? head) + 1)
        }
        return reply(confirmations, start: feeds, stop: [], session: session)
    }

    private static func reply(_ confirmations: [RESPValue], start: [ChannelFeed], stop: [String], session: Session)
        -> CommandReply
    {
        CommandReply(
            confirmations[0],
            action: .subscriptions(
                SubscriptionChange(furtherReplies: Array(confirmations.dropFirst()), start: start, stop: stop)
            ),
            session: session
        )
    }
}

extension Array where Element: Hashable {
    /// The elements without repeats, first occurrences in order.
    fileprivate var uniqued: [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
