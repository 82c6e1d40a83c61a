public import Logging
public import PostgresNIO

extension PostgresConnection {
    /// Runs `body` in a transaction and returns its value once PostgreSQL has answered `COMMIT`.
    ///
    /// A statement sent on its own commits only after its rows have been delivered, so its rows
    /// prove nothing: a commit that fails then (a backend terminated mid-commit, a deferred check)
    /// is not reported as the statement's failure. `COMMIT`'s own answer is. When `body` throws,
    /// the transaction is rolled back and its error rethrown as it was.
    public func committing<Value: Sendable>(
        logger: Logger,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> Value
    ) async throws -> Value {
        try await query("BEGIN", logger: logger)
        let value: Value
        do {
            value = try await body(self)
        } catch {
            _ = try? await query("ROLLBACK", logger: logger)
            throw error
        }
        try await query("COMMIT", logger: logger)
        return value
    }
}

extension PostgresClient {
    /// Runs `body` in a transaction on one leased connection (`PostgresConnection.committing`).
    public func committing<Value: Sendable>(
        logger: Logger,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> Value
    ) async throws -> Value {
        try await withConnection { connection in
            try await connection.committing(logger: logger, body)
        }
    }
}
