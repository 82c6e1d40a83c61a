public import Application
public import Domain
public import EventLog
public import Projections
public import ReadModels

/// The application's read-model port (`ReadModelBackend`) over the projections and their read models in PostgreSQL.
public struct ProjectionBackend: ReadModelBackend {
    public let runner: ProjectionRunner
    public let queries: ReadModelQueries

    public init(runner: ProjectionRunner, queries: ReadModelQueries) {
        self.runner = runner
        self.queries = queries
    }

    public func commitments(_ filter: CommitmentFilter, at moment: QueryMoment) async throws(EventLogError)
        -> QueryAnswer<CommitmentRow>
    {
        try await queries.commitments(filter, at: moment)
    }

    public func commitmentHistory(_ id: String, at moment: QueryMoment) async throws(EventLogError)
        -> QueryAnswer<CommitmentRow>
    {
        try await queries.commitmentHistory(id, at: moment)
    }

    public func projectionStatuses() async throws(EventLogError) -> [ProjectionStatus] {
        try await runner.statuses()
    }

    public func perform(_ action: ProjectionAction, on projection: String) async throws(EventLogError) {
        try await runner.perform(action, on: projection)
    }

    public func skip(_ position: LogPosition, on projection: String, reason: String, metadata: String)
        async throws(EventLogError) -> LogPosition
    {
        try await runner.skip(position, on: projection, reason: reason, metadata: metadata)
    }
}

extension ProjectionBackend {
    public func followUps(_ filter: FollowUpFilter, at moment: QueryMoment) async throws(EventLogError)
        -> QueryAnswer<FollowUpRow>
    {
        try await queries.followUps(filter, at: moment)
    }

    public func activities(_ filter: ActivityFilter, at moment: QueryMoment) async throws(EventLogError)
        -> QueryAnswer<ActivityRow>
    {
        try await queries.activities(filter, at: moment)
    }

    public func activityStatistics(
        by grouping: ActivityGrouping,
        since: ISODate?,
        until: ISODate?,
        org: String?,
        at moment: QueryMoment
    ) async throws(EventLogError) -> QueryAnswer<ActivityStatistic> {
        try await queries.activityStatistics(by: grouping, since: since, until: until, org: org, at: moment)
    }

    public func cases(_ filter: CaseFilter, at moment: QueryMoment) async throws(EventLogError)
        -> QueryAnswer<CaseRow>
    {
        try await queries.cases(filter, at: moment)
    }

    public func caseTimeline(_ id: String, at moment: QueryMoment) async throws(EventLogError)
        -> QueryAnswer<CaseTimelineEntry>
    {
        try await queries.caseTimeline(id, at: moment)
    }

    public func scorecards(org: String?, at moment: QueryMoment) async throws(EventLogError)
        -> QueryAnswer<Scorecard>
    {
        try await queries.scorecards(org: org, at: moment)
    }
}
