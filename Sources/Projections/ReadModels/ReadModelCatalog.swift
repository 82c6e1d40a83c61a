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
            "(due_on, valid_from) WHERE status = 'open'",
            "(case_id) WHERE case_id IS NOT NULL",
        ]
    )

    public static let standard: [any Projection] = [commitments]
}
