public import Domain
public import EventLog
import Foundation

/// Runs the domain's write commands: authorizes the caller, decides on the stream's history,
/// appends with the expected version, and decides again when another writer got there first.
///
/// It owns what makes that cheap and safe within a server: the history cache, the per-stream
/// write locks (inside the cache), the metadata stamped on every event, and the clock.
public final class CommandService: Sendable {
    /// Where a command's events landed.
    public struct Outcome: Sendable, Hashable {
        /// The entity the command was about: a UUID, an organization slug or a theme slug.
        public let id: String
        public let stream: String
        /// The stream's version after the command (unchanged when it produced no events).
        public let version: StreamVersion
        /// The position of the command's last event; nil when it produced none.
        public let position: LogPosition?

        public init(id: String, stream: String, version: StreamVersion, position: LogPosition?) {
            self.id = id
            self.stream = stream
            self.version = version
            self.position = position
        }
    }

    /// The roles that record changes; the others read.
    public static let recorders: Set<Role> = [.admin, .coordinator]

    public let backend: any AdminBackend
    /// The histories of streams this service wrote recently.
    public let histories: StreamHistoryCache
    /// Today's date where the initiative runs (replaceable in tests and the demo).
    public let today: @Sendable () -> ISODate

    public init(
        backend: any AdminBackend,
        histories: StreamHistoryCache = StreamHistoryCache(),
        today: @escaping @Sendable () -> ISODate = CommandService.todayInChicago
    ) {
        self.backend = backend
        self.histories = histories
        self.today = today
    }

    /// Runs `command` for `caller`; the caller must be the command's actor, in a role that records.
    ///
    /// Rules that depend on the target (a coordinator's own organization, admin-only nouns) are the
    /// domain's and come back as its refusals.
    public func run(_ command: DomainCommand, by caller: Caller) async throws(CaselogError) -> Outcome {
        try authorize(command, by: caller)
        let today = today()
        let outcome = try await StreamWriter.write(
            to: try StreamName(request: command.stream),
            expected: command.expectedVersion,
            related: try command.related.map { text throws(CaselogError) in try StreamName(request: text) },
            createsStream: command.createsStream,
            metadata: caller.metadataText(),
            backend: backend,
            cache: histories
        ) { history, related throws(DomainError) in
            (try command.decide(history: history, related: related, today: today), ())
        }
        return Outcome(
            id: command.id,
            stream: command.stream,
            version: outcome.version,
            position: outcome.positions.last
        )
    }

    /// Checks that `caller` may run `command`: authenticated, in a role that records, as the command's actor.
    func authorize(_ command: DomainCommand, by caller: Caller) throws(CaselogError) {
        guard let principal = caller.principal else { throw .authenticationRequired }
        guard Self.recorders.contains(principal.role) else {
            throw CaselogError(
                .noPerm,
                "\(principal.role.rawValue) may not record changes: coordinators and admins record; leadership and auditors read"
            )
        }
        guard command.actor == principal else {
            throw .invalid("actor", "the command was made for \(command.actor.user), not for \(principal.user)")
        }
    }

    /// Today's date on Chicago's wall clock, which decides what "today" and "overdue" mean.
    @Sendable public static func todayInChicago() -> ISODate {
        ISODate(Date(), timeZone: .chicago)
    }
}
