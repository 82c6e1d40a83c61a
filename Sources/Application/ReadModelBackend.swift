public import Domain
public import EventLog
public import ReadModels

/// The application's port to the read models: what its query service needs from the projections.
///
/// The server wiring implements it over Projections (`ProjectionBackend`). Every query answers now,
/// or as of a past moment, after the projection has applied what the caller needs (`QueryMoment`).
public protocol ReadModelBackend: Sendable {
    func commitments(_ filter: CommitmentFilter, at moment: QueryMoment) async throws(EventLogError)
        -> QueryAnswer<CommitmentRow>
    /// Every version of one commitment's board row, oldest first.
    func commitmentHistory(_ id: String, at moment: QueryMoment) async throws(EventLogError)
        -> QueryAnswer<CommitmentRow>
    func projectionStatuses() async throws(EventLogError) -> [ProjectionStatus]
    func perform(_ action: ProjectionAction, on projection: String) async throws(EventLogError)
    /// Records that `projection`, stopped at `position`, passes over that event (also in every
    /// rebuild) and lets it run on; returns the decision's position in the log.
    func skip(_ position: LogPosition, on projection: String, reason: String, metadata: String)
        async throws(EventLogError) -> LogPosition

    func followUps(_ filter: FollowUpFilter, at moment: QueryMoment) async throws(EventLogError)
        -> QueryAnswer<FollowUpRow>
    func activities(_ filter: ActivityFilter, at moment: QueryMoment) async throws(EventLogError)
        -> QueryAnswer<ActivityRow>
    func activityStatistics(
        by grouping: ActivityGrouping,
        since: ISODate?,
        until: ISODate?,
        org: String?,
        at moment: QueryMoment
    ) async throws(EventLogError) -> QueryAnswer<ActivityStatistic>
    func cases(_ filter: CaseFilter, at moment: QueryMoment) async throws(EventLogError) -> QueryAnswer<CaseRow>
    func caseTimeline(_ id: String, at moment: QueryMoment) async throws(EventLogError)
        -> QueryAnswer<CaseTimelineEntry>
    func scorecards(org: String?, at moment: QueryMoment) async throws(EventLogError) -> QueryAnswer<Scorecard>
}
