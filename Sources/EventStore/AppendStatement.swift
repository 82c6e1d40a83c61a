import EventLog
import Foundation
import Logging
import PostgresNIO

/// One call of the `caselog_append` database function for a batch of append requests.
///
/// Flattens the requests into parallel arrays (one bind each) and turns the function's
/// per-request outcome rows back into results.
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
        let streams = requests.map(\.stream.rawValue)
        let expected = requests.map { Self.sqlValue(of: $0.expected) }
        let counts = requests.map { Int32($0.events.count) }
        let ids = events.map(\.id)
        let types = events.map(\.type)
        let data = events.map(\.data)
        let metadata = events.map(\.metadata)
        let rows = try await client.query(
            """
            SELECT outcome, actual_version, first_version, positions
            FROM caselog_append(\(streams), \(expected), \(counts), \(ids), \(types), \(data), \(metadata))
            """,
            logger: logger
        )
        var results: [Result<AppendResult, EventLogError>] = []
        results.reserveCapacity(requests.count)
        for try await (code, actual, firstVersion, positions) in rows.decode((Int16, Int64?, Int64?, [Int64]?).self) {
            results.append(outcome(code, actual, firstVersion, positions, for: requests[results.count]))
        }
        guard results.count == requests.count else {
            throw EventLogError(
                .internal,
                "the append function answered \(results.count) of \(requests.count) requests"
            )
        }
        return results
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
