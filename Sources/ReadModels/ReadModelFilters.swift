public import Domain

/// Filters of `FOLLOWUP LIST`.
public struct FollowUpFilter: Sendable, Hashable {
    /// The assignee organization.
    public var org: String?
    /// scheduled, blocked, completed or cancelled.
    public var status: String?
    /// Only open follow-ups (scheduled or blocked) due before the day the list is read.
    public var overdue = false
    public var dueBefore: ISODate?
    /// The stream followed up on, e.g. `case-<uuid>`.
    public var about: String?
    /// The most rows one page answers.
    public var limit = 100
    /// Where this page starts; nil for the first page.
    public var cursor: ListCursor?

    public init() {}
}

/// Filters of `ACTIVITY LIST`; `since` and `until` bound the day the activity occurred on, both included.
public struct ActivityFilter: Sendable, Hashable {
    public var org: String?
    /// The community area's number.
    public var area: Int?
    public var theme: String?
    public var since: ISODate?
    public var until: ISODate?
    public var caseID: String?
    /// recorded or retracted; nil lists both.
    public var status: String?
    /// The most rows one page answers.
    public var limit = 100
    /// Where this page starts; nil for the first page.
    public var cursor: ListCursor?

    public init() {}
}

/// Filters of `CASE LIST`.
public struct CaseFilter: Sendable, Hashable {
    /// The lead organization.
    public var org: String?
    /// open or closed.
    public var status: String?
    /// The most rows one page answers.
    public var limit = 100
    /// Where this page starts; nil for the first page.
    public var cursor: ListCursor?

    public init() {}
}
