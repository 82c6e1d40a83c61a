/// What `ACTIVITY STATS` groups activities by.
public enum ActivityGrouping: String, Sendable, Hashable, CaseIterable {
    /// The community area (its number; the name is the label).
    case area
    /// The police district (its number; the name is the label).
    case district
    case org
    /// Each of an activity's themes: an activity with two themes counts under both.
    case theme
    /// The month the activity occurred in, `yyyy-mm`.
    case month
}

/// Sessions and attendance of one group of recorded activities; retracted ones count nowhere,
/// corrected ones count as corrected.
public struct ActivityStatistic: Sendable, Hashable {
    /// The area number, org, theme or month; nil for activities with none recorded.
    public let group: String?
    /// The community area's name, when grouped by area.
    public let label: String?
    /// How many activities.
    public let sessions: Int
    /// Their attendance added up.
    public let attendance: Int

    public init(group: String?, label: String?, sessions: Int, attendance: Int) {
        self.group = group
        self.label = label
        self.sessions = sessions
        self.attendance = attendance
    }
}
