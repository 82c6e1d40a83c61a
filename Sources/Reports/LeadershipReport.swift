/// What the leadership report shows, read from the read models at one moment: the commitments,
/// the follow-ups still to do, and the activity figures, each with the log position it stands at.
public struct LeadershipReport: Sendable {
    /// What the report was asked for: the business day, the recorded moment, one organization.
    public struct Scope: Sendable, Hashable {
        public var on: String?
        public var asOf: String?
        public var org: String?

        public init(on: String? = nil, asOf: String? = nil, org: String? = nil) {
            self.on = on
            self.asOf = asOf
            self.org = org
        }

        /// The protocol words of the moment (`ON d`, `AS-OF p`) every read of the report carries.
        public var momentWords: [String] {
            (on.map { ["ON", $0] } ?? []) + (asOf.map { ["AS-OF", $0] } ?? [])
        }

        /// `ORG o` when the report is about one organization.
        public var orgWords: [String] { org.map { ["ORG", $0] } ?? [] }
    }

    /// The event a figure stands at: its log position and event id.
    public struct Lineage: Sendable, Hashable, Comparable {
        public var position: Int64
        public var eventID: String

        public init(position: Int64, eventID: String) {
            self.position = position
            self.eventID = eventID
        }

        public static func < (lhs: Lineage, rhs: Lineage) -> Bool { lhs.position < rhs.position }
    }

    public struct Commitment: Sendable, Hashable {
        public var id: String
        public var owner: String
        public var text: String
        public var status: String
        public var dueOn: String
        public var fulfilledOn: String?
        public var daysOverdue: Int
        public var lineage: Lineage

        public init(
            id: String,
            owner: String,
            text: String,
            status: String,
            dueOn: String,
            fulfilledOn: String?,
            daysOverdue: Int,
            lineage: Lineage
        ) {
            self.id = id
            self.owner = owner
            self.text = text
            self.status = status
            self.dueOn = dueOn
            self.fulfilledOn = fulfilledOn
            self.daysOverdue = daysOverdue
            self.lineage = lineage
        }
    }

    public struct FollowUp: Sendable, Hashable {
        public var id: String
        public var about: String
        public var assignee: String
        public var status: String
        public var dueOn: String
        public var daysOverdue: Int
        public var lineage: Lineage

        public init(
            id: String,
            about: String,
            assignee: String,
            status: String,
            dueOn: String,
            daysOverdue: Int,
            lineage: Lineage
        ) {
            self.id = id
            self.about = about
            self.assignee = assignee
            self.status = status
            self.dueOn = dueOn
            self.daysOverdue = daysOverdue
            self.lineage = lineage
        }
    }

    /// Sessions and attendance of one group of activities (an area, a theme, a month).
    public struct ActivityFigure: Sendable, Hashable {
        public var label: String
        public var sessions: Int
        public var attendance: Int
        public var lineage: Lineage

        public init(label: String, sessions: Int, attendance: Int, lineage: Lineage) {
            self.label = label
            self.sessions = sessions
            self.attendance = attendance
            self.lineage = lineage
        }
    }

    public var scope: Scope
    /// The log position the report reads at (the head when it was made, or the AS-OF position).
    public var position: Int64
    /// When the report was made (UTC, ISO 8601).
    public var madeAt: String
    public var commitments: [Commitment]
    /// Follow-ups still to do (scheduled or blocked).
    public var followUps: [FollowUp]
    public var byArea: [ActivityFigure]
    public var byTheme: [ActivityFigure]
    public var byMonth: [ActivityFigure]

    public init(
        scope: Scope,
        position: Int64,
        madeAt: String,
        commitments: [Commitment],
        followUps: [FollowUp],
        byArea: [ActivityFigure],
        byTheme: [ActivityFigure],
        byMonth: [ActivityFigure]
    ) {
        self.scope = scope
        self.position = position
        self.madeAt = madeAt
        self.commitments = commitments
        self.followUps = followUps
        self.byArea = byArea
        self.byTheme = byTheme
        self.byMonth = byMonth
    }
}
