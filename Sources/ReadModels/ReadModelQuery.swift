public import Domain
public import EventLog

/// The moment a query answers for: now, or as the read model stood at a past position or time.
public enum AsOf: Sendable, Hashable {
    case position(LogPosition)
    /// Microseconds since 1970 (UTC): the state after every event recorded up to then.
    case timestamp(Timestamp)
}

/// When a query is answered: `asOf` (nil: the current state) once the read model has applied
/// at least `after` (read-your-writes), and, with `on`, what was true on that business day by the
/// events' own dates (made on, due on, fulfilled on, occurred on, …) as known at `asOf`.
public struct QueryMoment: Sendable, Hashable {
    public var asOf: AsOf?
    public var after: LogPosition?
    /// The business day the answer describes; nil for the latest state known at `asOf`.
    public var on: ISODate?

    public init(asOf: AsOf? = nil, after: LogPosition? = nil, on: ISODate? = nil) {
        self.asOf = asOf
        self.after = after
        self.on = on
    }
}

/// A read-model row with its lineage: the position and id of the last event that changed it.
public struct Lineaged<Row: Sendable>: Sendable {
    public let row: Row
    public let position: LogPosition
    public let eventID: String
    /// The position from which this version of the row no longer held (nil: it still holds).
    public let supersededAt: LogPosition?

    public init(row: Row, position: LogPosition, eventID: String, supersededAt: LogPosition?) {
        self.row = row
        self.position = position
        self.eventID = eventID
        self.supersededAt = supersededAt
    }
}

/// A query's rows and the facts it was answered with.
public struct QueryAnswer<Row: Sendable>: Sendable {
    public let rows: [Lineaged<Row>]
    /// The log position the answer reflects.
    public let position: LogPosition
    /// The day "overdue" was judged on: the `ON` day, else today or the day of the as-of moment.
    public let today: ISODate
    /// Where the next page of a list starts; nil when this page is the last.
    public let next: ListCursor?

    public init(rows: [Lineaged<Row>], position: LogPosition, today: ISODate, next: ListCursor? = nil) {
        self.rows = rows
        self.position = position
        self.today = today
        self.next = next
    }
}

/// Filters of `COMMITMENT LIST`.
public struct CommitmentFilter: Sendable, Hashable {
    public var org: String?
    public var status: String?
    public var overdue = false
    public var dueBefore: ISODate?
    public var caseID: String?
    /// The most rows one page answers.
    public var limit = 100
    /// Where this page starts; nil for the first page.
    public var cursor: ListCursor?

    public init() {}
}
