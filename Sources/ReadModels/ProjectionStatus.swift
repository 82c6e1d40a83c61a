public import EventLog

/// What `PROJECTION STATUS` shows for one projection.
public struct ProjectionStatus: Sendable, Hashable {
    /// running, paused, rebuilding, failed, or standby (another process holds it).
    public var state: String
    public var name: String
    public var checkpoint: LogPosition
    public var head: LogPosition
    /// Seconds since the oldest event not yet applied was recorded (0 when caught up).
    public var lagSeconds: Double
    /// Events applied per second recently, by this process.
    public var rate: Double
    /// Where a rebuild has got to, while one runs.
    public var rebuildPosition: LogPosition?
    /// The event it stopped at, and why, when failed.
    public var failedPosition: LogPosition?
    public var failedEventID: String?
    public var error: String?
    /// The events an admin decided it passes over (`PROJECTION SKIP`), oldest first.
    public var skips: [ProjectionSkip] = []

    public var lagEvents: Int64 { max(0, head - checkpoint) }

    public init(name: String, state: String, checkpoint: LogPosition, head: LogPosition) {
        self.name = name
        self.state = state
        self.checkpoint = checkpoint
        self.head = head
        self.lagSeconds = 0
        self.rate = 0
    }
}

/// What an operator may ask a projection to do.
public enum ProjectionAction: String, Sendable, CaseIterable {
    case pause, resume, rebuild
}
