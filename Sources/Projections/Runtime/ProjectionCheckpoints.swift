import EventLog
import Logging
import PostgresNIO
import ReadModels

/// The `projection_checkpoints` row of one projection: where its live tables (and a rebuild's
/// fresh tables) have got to, and whether it runs, is paused or failed.
struct Checkpoint: Sendable {
    var name: String
    var position: LogPosition
    var state: String
    var rebuildPosition: LogPosition?
    var failedPosition: LogPosition?
    var failedEventID: String?
    var failedError: String?
}

enum ProjectionCheckpoints {
    static func ensure(_ name: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            "INSERT INTO projection_checkpoints (name) VALUES (\(name)) ON CONFLICT (name) DO NOTHING",
            logger: logger
        )
    }

    static func read(_ name: String, on connection: PostgresConnection, logger: Logger) async throws -> Checkpoint? {
        try await all(where: name, query: { try await connection.query($0, logger: logger) }).first
    }

    /// Every checkpoint row (or `name`'s), through any way of running a query.
    static func all(
        where name: String? = nil,
        query: (PostgresQuery) async throws -> PostgresRowSequence
    ) async throws -> [Checkpoint] {
        let rows = try await query(
            """
            SELECT name, position, state, rebuild_position, failed_position, failed_event_id::text, failed_error
            FROM projection_checkpoints WHERE \(name)::text IS NULL OR name = \(name) ORDER BY name
            """
        )
        var checkpoints: [Checkpoint] = []
        for try await (name, position, state, rebuild, failedPosition, failedID, failedError) in rows.decode(
            (String, Int64, String, Int64?, Int64?, String?, String?).self
        ) {
            checkpoints.append(
                Checkpoint(
                    name: name,
                    position: position,
                    state: state,
                    rebuildPosition: rebuild,
                    failedPosition: failedPosition,
                    failedEventID: failedID,
                    failedError: failedError
                )
            )
        }
        return checkpoints
    }

    static func advance(_ name: String, to position: LogPosition, on connection: PostgresConnection, logger: Logger)
        async throws
    {
        try await connection.query(
            "UPDATE projection_checkpoints SET position = \(position), updated_at = now() WHERE name = \(name)",
            logger: logger
        )
    }

    static func advanceRebuild(
        _ name: String,
        to position: LogPosition?,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        try await connection.query(
            "UPDATE projection_checkpoints SET rebuild_position = \(position), updated_at = now() WHERE name = \(name)",
            logger: logger
        )
    }

    static func fail(_ name: String, _ failure: ProjectionFailure, on connection: PostgresConnection, logger: Logger)
        async throws
    {
        try await connection.query(
            """
            UPDATE projection_checkpoints
            SET state = 'failed', failed_position = \(failure.position), failed_event_id = \(failure.eventID)::uuid,
                failed_error = \(failure.reason), updated_at = now()
            WHERE name = \(name)
            """,
            logger: logger
        )
    }
}
