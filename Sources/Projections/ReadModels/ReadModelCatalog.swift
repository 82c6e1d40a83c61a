public import ReadModels

/// The read models caselog ships, each a projection with its own worker and checkpoint.
public enum ReadModelCatalog {
    /// The commitment board: one row per commitment, every version kept for as-of queries.
    public static let commitments = VersionedRowsProjection<CommitmentRow>(
        name: "commitments",
        columns: [.init("owner_org"), .init("status"), .init("due_on"), .init("case_id")],
        indexes: [
            "(due_on, key) WHERE valid_to IS NULL",
            "(owner_org, due_on) WHERE valid_to IS NULL",
            "(due_on, key) WHERE valid_to IS NULL AND status = 'open'",
            "(due_on, key, valid_from, valid_to) WHERE status = 'open'",
            "(case_id) WHERE case_id IS NOT NULL",
            "(due_on, key, valid_from, valid_to)",
        ]
    )

    /// Follow-ups due and overdue: one row per follow-up, every version kept.
    public static let followUps = VersionedRowsProjection<FollowUpRow>(
        name: "followups",
        columns: [.init("assignee_org"), .init("status"), .init("due_on"), .init("about")],
        indexes: [
            "(due_on, key) WHERE valid_to IS NULL",
            "(assignee_org, due_on) WHERE valid_to IS NULL",
            "(about) WHERE valid_to IS NULL",
            "(due_on, valid_from) WHERE status IN ('scheduled', 'blocked')",
            "(due_on, key, valid_from, valid_to)",
            "(about, valid_from)",
        ]
    )

    /// Engagement activities, corrections applied, for the activity list and statistics.
    public static let activities = ActivityProjection()

    /// Cases and their timelines.
    public static let cases = CaseProjection()

    public static let standard: [any Projection] = [commitments, followUps, activities, cases]
}
