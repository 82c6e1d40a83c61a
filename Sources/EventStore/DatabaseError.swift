import EventLog
import Logging
import PostgresNIO

/// Maps PostgreSQL and connection failures onto the event log's stable error codes.
///
/// Details (SQL, server messages) go to the log; clients only see the code and a plain message.
enum DatabaseError {
    /// SQLSTATE of an UPDATE, DELETE or TRUNCATE on the append-only log.
    static let appendOnlyViolation = "CL001"

    static func map(_ error: any Error, logger: Logger) -> EventLogError {
        if let error = error as? EventLogError { return error }
        if let error = error as? PostgresTransactionError {
            return map(error.closureError ?? error.commitError ?? error.beginError ?? error, logger: logger)
        }
        if let error = error as? PSQLError {
            switch error.code {
            case .server:
                let state = error.serverInfo?[.sqlState] ?? ""
                if isConnectionState(state) {
                    return EventLogError(.unavailable, "the database is unavailable (SQLSTATE \(state))")
                }
                if state == appendOnlyViolation {
                    return EventLogError(.invalid, "events: the event log is append-only")
                }
                logger.error(
                    "database error",
                    metadata: ["sqlstate": "\(state)", "message": "\(error.serverInfo?[.message] ?? "")"]
                )
                return EventLogError(.internal, "database error (SQLSTATE \(state))")
            case .queryCancelled:
                return EventLogError(.unavailable, "the database query was cancelled")
            default:
                logger.debug("database connection error", metadata: ["error": "\(String(reflecting: error))"])
                return EventLogError(.unavailable, "the database is unavailable (\(error.code))")
            }
        }
        if error is PostgresDecodingError {
            logger.error("database row decoding failed", metadata: ["error": "\(String(reflecting: error))"])
            return EventLogError(.internal, "unexpected data from the database")
        }
        if error is CancellationError {
            return EventLogError(.unavailable, "the operation was cancelled")
        }
        logger.debug("database connection error", metadata: ["error": "\(String(reflecting: error))"])
        return EventLogError(.unavailable, "the database is unavailable")
    }

    /// Connection exceptions (08), operator intervention (57: shutdown, cancel) and
    /// insufficient resources (53) mean "try again later", not "your request is wrong".
    private static func isConnectionState(_ state: String) -> Bool {
        state.hasPrefix("08") || state.hasPrefix("57") || state.hasPrefix("53")
    }
}

extension EventStore {
    /// Runs a database operation within the store's time limit, mapping its failures onto
    /// `EventLogError`; fails at once with `UNAVAILABLE` while the database is unreachable.
    func database<Value: Sendable>(
        _ operation: @escaping @Sendable () async throws -> Value
    ) async throws(EventLogError) -> Value {
        try await availability.run(operation)
    }
}
