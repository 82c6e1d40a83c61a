public import AdminProtocol
public import EventLog
public import Projections
public import ReadModels

/// The admin protocol's view of the projections and their read models in PostgreSQL.
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
}
