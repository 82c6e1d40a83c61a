import Application
public import Domain
public import EventLog
public import NIOCore

/// Who may run a command.
public enum CommandAccess: Sendable, Hashable {
    /// Anyone, before authenticating too (`PING`, `HELLO`, `AUTH`, `QUIT`, …).
    case anyone
    /// Any authenticated user.
    case authenticated
    /// Authenticated users in one of these roles; `rule` says why, for `NOPERM`.
    case roles(Set<Role>, rule: String)
}

/// One command of the table: its name, arity, access, documentation and handler.
///
/// A class: the dispatcher hands a spec around for every request, and a reference is cheaper to pass than its fields.
public final class CommandSpec: Sendable {
    /// `PING`, or `NOUN VERB` for container commands such as `STREAM APPEND`.
    public let name: String
    /// The name in lowercase, as `CLIENT LIST` and error messages show it.
    public let lowercasedName: String
    /// Arguments after the name: at least `minimum`, at most `maximum` (nil: unbounded).
    public let minimum: Int
    public let maximum: Int?
    public let access: CommandAccess
    /// Whether the command changes the log (`write`) or only reads.
    public let isWrite: Bool
    public let summary: String
    /// The argument synopsis shown by `HELP` and as hints in redis-cli, e.g. `stream [FROM version]`.
    public let synopsis: String
    /// Whether a RESP2 connection in subscribed mode may run it (`SUBSCRIBE`, `UNSUBSCRIBE`, `PING`, `QUIT`).
    public let isAllowedWhileSubscribed: Bool
    let handler: CommandHandler

    init(
        _ name: String,
        arguments: ClosedRange<Int>,
        unbounded: Bool = false,
        access: CommandAccess,
        write: Bool = false,
        allowedWhileSubscribed: Bool = false,
        synopsis: String = "",
        summary: String,
        handler: CommandHandler
    ) {
        self.name = name
        self.lowercasedName = name.lowercased()
        self.minimum = arguments.lowerBound
        self.maximum = unbounded ? nil : arguments.upperBound
        self.access = access
        self.isWrite = write
        self.isAllowedWhileSubscribed = allowedWhileSubscribed
        self.synopsis = synopsis
        self.summary = summary
        self.handler = handler
    }

    /// The noun of a container command (`STREAM` of `STREAM APPEND`), or the whole name.
    public var noun: Substring { name.prefix { $0 != " " } }

    /// Redis' arity convention: the count including the name, negative when it is a minimum.
    public var redisArity: Int {
        let words = name.split(separator: " ").count
        return maximum == minimum ? minimum + words : -(minimum + words)
    }
}

/// How a command runs: on the connection's event loop, or as async work (database, waits).
///
/// Handlers throw `CaselogError`; anything else becomes a plain `ERR`. Neither kind changes the
/// session in place: a changed session comes back in the reply, so the connection knows when it changed.
enum CommandHandler: Sendable {
    /// Gets the session borrowed, not copied into an invocation (this runs for every `PING`).
    case immediate(
        @Sendable (_ session: Session, _ arguments: CommandArguments, _ context: CommandContext) throws -> CommandReply
    )
    case deferred(@Sendable (CommandInvocation) async throws -> CommandReply)
}

/// What a deferred handler gets: the connection's session, the arguments, and the services behind them.
public struct CommandInvocation: Sendable {
    public let session: Session
    public let arguments: CommandArguments
    public let context: CommandContext
}

/// A handler's answer: the reply, and what the connection does next.
public struct CommandReply: Sendable {
    public enum Action: Sendable {
        case none
        /// Close the connection once the reply is written (`QUIT`).
        case close
        /// Push each committed event from this position on (`LOG TAIL`).
        case tail(from: Int64)
        /// Start and stop pub/sub feeds (`SUBSCRIBE`, `UNSUBSCRIBE`), writing further replies after the value.
        case subscriptions(SubscriptionChange)
    }

    /// The reply as a value. A reply of events makes it on demand: the connection writes those
    /// straight to the wire (``encode(protocolVersion:into:)``).
    public var value: RESPValue {
        get {
            switch body {
            case .value(let value): value
            case .events(let events): .array(events.map(RESPValue.event))
            }
        }
        set { body = .value(newValue) }
    }
    private var body: Body
    public var action: Action = .none
    /// The session as the handler changed it, if it did (applied in request order).
    public var session: Session? {
        get { changedSession?.session }
        set { changedSession = newValue.map(ChangedSession.init) }
    }
    /// Boxed: replies are passed around for every request, and seldom carry a session.
    private var changedSession: ChangedSession?

    /// A reply that leaves the session as it is.
    public init(_ value: RESPValue, action: Action = .none) {
        self.body = .value(value)
        self.action = action
    }

    /// A reply that changes the session to `session` (nil: leaves it as it is).
    public init(_ value: RESPValue, action: Action = .none, session: Session?) {
        self.body = .value(value)
        self.action = action
        self.session = session
    }

    /// A reply of events, an array of ``RESPValue/event(_:)`` maps.
    public init(events: [RecordedEvent]) {
        self.body = .events(events)
    }

    /// Writes the reply in `protocolVersion`'s wire format.
    public func encode(protocolVersion: RESPProtocolVersion, into buffer: inout ByteBuffer) {
        switch body {
        case .value(let value): RESPEncoder.encode(value, protocolVersion: protocolVersion, into: &buffer)
        case .events(let events): RESPEncoder.encodeEvents(events, protocolVersion: protocolVersion, into: &buffer)
        }
    }

    private enum Body: Sendable {
        case value(RESPValue)
        case events([RecordedEvent])
    }

    private final class ChangedSession: Sendable {
        let session: Session
        init(_ session: Session) { self.session = session }
    }
}

/// What `SUBSCRIBE` or `UNSUBSCRIBE` asks of the connection: the confirmations after the first
/// (one per channel; the first is the reply's value), the feeds to start and the channels to stop.
public struct SubscriptionChange: Sendable {
    let furtherReplies: [RESPValue]
    let start: [ChannelFeed]
    let stop: [String]
}
