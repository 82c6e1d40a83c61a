/// The channels a connection is subscribed to, in the order it subscribed, and the confirmations
/// Redis sends for each change: `[subscribe, channel, count]`, `[unsubscribe, channel, count]`,
/// as pushes (RESP3) or arrays (RESP2).
public struct Subscriptions: Sendable, Equatable {
    public private(set) var channels: [String] = []

    public init() {}

    /// Whether the connection is in subscribed mode.
    public var isEmpty: Bool { channels.isEmpty }

    /// Subscribes to each of `names` not subscribed yet; one confirmation per name, with the count after it.
    mutating func subscribe(_ names: [String]) -> (confirmations: [RESPValue], added: [String]) {
        var confirmations: [RESPValue] = []
        var added: [String] = []
        for name in names {
            if !channels.contains(name) {
                channels.append(name)
                added.append(name)
            }
            confirmations.append(Self.confirmation("subscribe", name, channels.count))
        }
        return (confirmations, added)
    }

    /// Unsubscribes from `names`, or from every channel when none is given; one confirmation per
    /// name (a channel not subscribed too), and `[unsubscribe, null, 0]` when there was nothing to leave.
    mutating func unsubscribe(_ names: [String]) -> (confirmations: [RESPValue], removed: [String]) {
        let leaving = names.isEmpty ? channels : names
        guard !leaving.isEmpty else { return ([.push([.bulk("unsubscribe"), .null, .integer(0)])], []) }
        var confirmations: [RESPValue] = []
        var removed: [String] = []
        for name in leaving {
            if let index = channels.firstIndex(of: name) {
                channels.remove(at: index)
                removed.append(name)
            }
            confirmations.append(Self.confirmation("unsubscribe", name, channels.count))
        }
        return (confirmations, removed)
    }

    private static func confirmation(_ kind: String, _ channel: String, _ count: Int) -> RESPValue {
        .push([.bulk(kind), .bulk(channel), .integer(Int64(count))])
    }
}
