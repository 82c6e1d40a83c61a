/// How one organization stands on the commitments it owns.
public struct Scorecard: Sendable, Hashable {
    public let org: String
    /// Every commitment it has made (whatever became of it).
    public let made: Int
    public let open: Int
    public let fulfilled: Int
    /// Fulfilled on or before the due date (the due date as last changed).
    public let fulfilledOnTime: Int
    /// Open past the due date on the day the scorecard is read.
    public let overdue: Int
    public let cancelled: Int
    /// The median of days from made to fulfilled; nil before the first fulfilment.
    public let medianDaysToFulfil: Double?

    public init(
        org: String,
        made: Int,
        open: Int,
        fulfilled: Int,
        fulfilledOnTime: Int,
        overdue: Int,
        cancelled: Int,
        medianDaysToFulfil: Double?
    ) {
        self.org = org
        self.made = made
        self.open = open
        self.fulfilled = fulfilled
        self.fulfilledOnTime = fulfilledOnTime
        self.overdue = overdue
        self.cancelled = cancelled
        self.medianDaysToFulfil = medianDaysToFulfil
    }
}
