import EventLog
import Foundation
import Logging
import PostgresNIO

/// One call of the `caselog_append` database function for a batch of append requests.
///
/// Flattens the requests into parallel arrays (one bind each) and turns the function's
/// per-request outcome rows back into results. The call is a prepared statement: each
/// connection parses and plans it once, and every batch after that is one Bind/Execute round trip.
struct AppendStatement {
    private enum Outcome: Int16 {
        case appended = 0
        case duplicate = 1
        case wrongVersion = 2
        case conflict = 3
    }

    /// How `ExpectedVersion` travels to SQL: a version, or a negative marker.
    static func sqlValue(of expected: ExpectedVersion) -> Int64 {
        switch expected {
        case .exact(let version): version
        case .noStream: -1
        case .any: -2
        case .exists: -3
        }
    }

    let requests: [AppendRequest]

    init(_ requests: [AppendRequest]) {
        self.requests = requests
    }

    func run(on client: PostgresClient, logger: Logger) async throws -> [Result<AppendResult, EventLogError>] {
        let events = requests.flatMap(\.events)
        let call = Call(
            streams: requests.map(\.stream.rawValue),
            expected: requests.map { Self.sqlValue(of: $0.expected) },
            counts: requests.map { Int32($0.events.count) },
            ids: events.map(\.id),
            types: events.map(\.type),
            data: events.map(\.data),
            metadata: events.map(\.metadata)
        )
        var rows: [Call.Row]
        do {
            rows = try await client.committing(logger: logger) { connection in
                try await connection.execute(call, logger: logger).reduce(into: []) { $0.append($1) }
            }
        } catch let error as PSQLError where Self.preparationFailed(error) {
            // A connection remembers a failed preparation (say, the function was not yet
            // migrated when it first tried); run the call unprepared rather than fail for good.
            let query = PostgresQuery(unsafeSQL: Call.sql, binds: try call.makeBindings())
            rows = try await client.committing(logger: logger) { connection in
                try await connection.query(query, logger: logger).decode(Call.Row.self).reduce(into: []) {
                    $0.append($1)
                }
            }
        }
        var results: [Result<AppendResult, EventLogError>] = []
        results.reserveCapacity(requests.count)
        var answered = 0
        for (code, actual, firstVersion, positions) in rows {
            answered += 1
            guard answered <= requests.count else { continue }
            results.append(outcome(code, actual, firstVersion, positions, for: requests[answered - 1]))
        }
        guard answered == requests.count else {
            throw EventLogError(
                .internal,
                "the append function answered \(answered) rows for \(requests.count) requests"
            )
        }
        return results
    }

    /// Whether `error` says the prepared call itself is unusable on its connection: the function
    /// is missing or was replaced with another result type, or the statement was discarded.
    private static func preparationFailed(_ error: PSQLError) -> Bool {
        ["42883", "0A000", "26000"].contains(error.serverInfo?[.sqlState] ?? "")
    }

    /// The prepared `caselog_append` call with its seven array parameters.
    struct Call: PostgresPreparedStatement {
        static let name = "caselog_append_batch"
        static let sql = """
            SELECT outcome, actual_version, first_version, positions
            FROM caselog_append($1, $2, $3, $4, $5, $6, $7)
            """
        static let bindingDataTypes: [PostgresDataType] = [
            .textArray, .int8Array, .int4Array, .uuidArray, .textArray, .textArray, .textArray,
        ]

        typealias Row = (Int16, Int64?, Int64?, [Int64]?)

        let streams: [String]
        let expected: [Int64]
        let counts: [Int32]
        let ids: [UUID]
        let types: [String]
        let data: [String]
        let metadata: [String]

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 7)
            bindings.append(streams)
            bindings.append(expected)
            bindings.append(counts)
            bindings.append(ids)
            bindings.append(types)
            bindings.append(data)
            bindings.append(metadata)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row {
            try row.decode(Row.self)
        }
    }

    private func outcome(
        _ code: Int16,
        _ actual: Int64?,
        _ firstVersion: Int64?,
        _ positions: [Int64]?,
        for request: AppendRequest
    ) -> Result<AppendResult, EventLogError> {
        switch Outcome(rawValue: code) {
        case .appended?, .duplicate?:
            guard let positions, let firstVersion else { break }
            return .success(
                AppendResult(
                    stream: request.stream,
                    positions: positions,
                    firstVersion: firstVersion,
                    wasDuplicate: code == Outcome.duplicate.rawValue
                )
            )
        case .wrongVersion?:
            return .failure(.wrongVersion(stream: request.stream, expected: request.expected, actual: actual ?? -1))
        case .conflict?:
            return .failure(
                EventLogError(
                    .conflict,
                    "id: an event id of this append is already used by an event with another stream, type or data"
                )
            )
        case nil:
            break
        }
        return .failure(EventLogError(.internal, "the append function gave an unknown outcome \(code)"))
    }
}
