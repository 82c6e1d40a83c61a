import EventLog
import Foundation
import Logging
import PostgresNIO

/// One call of `caselog_append` for a batch of append requests, through a procedure that
/// commits before it answers: `caselog_append_committed` (db/migrations/0006), which commits the
/// requests that pass, or, for an atomic append, `caselog_append_atomic` (0009), which commits
/// only if every request passes and otherwise rolls back.
///
/// Flattens the requests into parallel arrays (one bind each) and turns the procedure's
/// per-request outcomes back into results. The call is a prepared statement: each connection
/// parses it once, and every batch after that is one Bind/Execute round trip.
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
    /// Whether nothing is committed when any request is refused.
    let isAtomic: Bool

    private init(_ requests: [AppendRequest], atomic: Bool = false) {
        self.requests = requests
        self.isAtomic = atomic
    }

    /// Runs `requests` through the procedures: with `atomic`, one call for all; otherwise one
    /// call for the requests without preconditions and an atomic call for each request with
    /// some, so a failed precondition takes back its own request only.
    static func run(
        _ requests: [AppendRequest],
        atomic: Bool,
        on client: PostgresClient,
        logger: Logger
    ) async throws -> [Result<AppendResult, EventLogError>] {
        if atomic || requests.allSatisfy(\.preconditions.isEmpty) {
            return try await AppendStatement(requests, atomic: atomic).run(on: client, logger: logger)
        }
        var results = [Result<AppendResult, EventLogError>?](repeating: nil, count: requests.count)
        let plain = requests.indices.filter { requests[$0].preconditions.isEmpty }
        if !plain.isEmpty {
            let answered = try await AppendStatement(plain.map { requests[$0] }).run(on: client, logger: logger)
            for (index, result) in zip(plain, answered) { results[index] = result }
        }
        for index in requests.indices where !requests[index].preconditions.isEmpty {
            results[index] = try await AppendStatement([requests[index]], atomic: true).run(on: client, logger: logger)
                .first
        }
        return results.map { $0 ?? .failure(EventLogError(.internal, "an append request was not answered")) }
    }

    /// Runs the call; with `isAtomic`, when a result is a failure nothing was committed.
    ///
    /// Preconditions travel as requests of no events after the others (the procedure checks their
    /// versions like any request's); a failed one is its request's refusal.
    func run(on client: PostgresClient, logger: Logger) async throws -> [Result<AppendResult, EventLogError>] {
        let checks = requests.flatMap { request in
            request.preconditions.map { AppendRequest(stream: $0.stream, expected: $0.expected, events: []) }
        }
        let units = requests + checks
        let events = requests.flatMap(\.events)
        let arguments = Arguments(
            streams: units.map(\.stream.rawValue),
            expected: units.map { Self.sqlValue(of: $0.expected) },
            counts: units.map { Int32($0.events.count) },
            ids: events.map(\.id),
            types: events.map(\.type),
            data: events.map(\.data),
            metadata: events.map(\.metadata)
        )
        let answer =
            isAtomic
            ? try await Self.answer(Call<Atomic>(arguments: arguments), on: client, logger: logger)
            : try await Self.answer(Call<Committed>(arguments: arguments), on: client, logger: logger)
        guard let (outcomes, versions, positions) = answer else {
            throw EventLogError(.internal, "the append procedure answered no row")
        }
        guard outcomes.count == units.count, versions.count == units.count else {
            throw EventLogError(
                .internal,
                "the append procedure answered \(outcomes.count) outcomes for \(units.count) requests"
            )
        }
        var results: [Result<AppendResult, EventLogError>] = []
        results.reserveCapacity(requests.count)
        var used = 0
        for (index, request) in requests.enumerated() {
            var own: [Int64]?
            if let code = Outcome(rawValue: outcomes[index]), code == .appended || code == .duplicate {
                own = Array(positions.dropFirst(used).prefix(request.events.count))
                used += request.events.count
            }
            results.append(outcome(outcomes[index], versions[index], own, for: request))
        }
        var check = requests.count
        for (index, request) in requests.enumerated() {
            for condition in request.preconditions {
                defer { check += 1 }
                // A retry of an append that was made answers it: its preconditions held then.
                guard case .success(let result) = results[index], !result.wasDuplicate,
                    outcomes[check] == Outcome.wrongVersion.rawValue
                else { continue }
                results[index] = .failure(
                    .wrongVersion(stream: condition.stream, expected: condition.expected, actual: versions[check])
                )
            }
        }
        guard used == positions.count else {
            throw EventLogError(
                .internal,
                "the append procedure answered \(positions.count) positions for \(used) appended events"
            )
        }
        return results
    }

    /// Runs `call` prepared, or unprepared when its connection cannot prepare it.
    private static func answer<Procedure>(
        _ call: Call<Procedure>,
        on client: PostgresClient,
        logger: Logger
    ) async throws -> Row? {
        do {
            return try await client.execute(call, logger: logger).first { _ in true }
        } catch let error as PSQLError where preparationFailed(error) {
            // A connection remembers a failed preparation (say, the procedure was not yet
            // migrated when it first tried); run the call unprepared rather than fail for good.
            let query = PostgresQuery(unsafeSQL: Call<Procedure>.sql, binds: try call.makeBindings())
            return try await client.query(query, logger: logger).decode(Row.self).first { _ in true }
        }
    }

    /// Whether `error` says the prepared call itself is unusable on its connection: the function
    /// is missing or was replaced with another result type, or the statement was discarded.
    private static func preparationFailed(_ error: PSQLError) -> Bool {
        ["42883", "0A000", "26000"].contains(error.serverInfo?[.sqlState] ?? "")
    }

    /// Per request an outcome and a version, and the positions of the requests appended or
    /// found stored, in request order.
    typealias Row = ([Int16], [Int64], [Int64])

    /// The seven array parameters both procedures take.
    struct Arguments: Sendable {
        let streams: [String]
        let expected: [Int64]
        let counts: [Int32]
        let ids: [UUID]
        let types: [String]
        let data: [String]
        let metadata: [String]
    }

    /// A procedure that runs `caselog_append` and answers its outcomes as arrays.
    protocol Procedure {
        static var name: String { get }
    }

    /// `caselog_append_committed`: commits the requests that pass.
    enum Committed: Procedure {
        static let name = "caselog_append_committed"
    }

    /// `caselog_append_atomic`: commits only if every request passes.
    enum Atomic: Procedure {
        static let name = "caselog_append_atomic"
    }

    /// The prepared call of one of the procedures with its seven array parameters.
    struct Call<P: Procedure>: PostgresPreparedStatement {
        static var name: String { P.name }
        static var sql: String { "CALL \(P.name)($1, $2, $3, $4, $5, $6, $7)" }
        static var bindingDataTypes: [PostgresDataType] {
            [.textArray, .int8Array, .int4Array, .uuidArray, .textArray, .textArray, .textArray]
        }

        let arguments: Arguments

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 7)
            bindings.append(arguments.streams)
            bindings.append(arguments.expected)
            bindings.append(arguments.counts)
            bindings.append(arguments.ids)
            bindings.append(arguments.types)
            bindings.append(arguments.data)
            bindings.append(arguments.metadata)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row {
            try row.decode(Row.self)
        }
    }

    /// A request's result from its outcome `code`, its `version` (the first one appended or
    /// stored, or the stream's actual one when refused) and its `positions` when it has any.
    private func outcome(
        _ code: Int16,
        _ version: Int64,
        _ positions: [Int64]?,
        for request: AppendRequest
    ) -> Result<AppendResult, EventLogError> {
        switch Outcome(rawValue: code) {
        case .appended?, .duplicate?:
            guard let positions else { break }
            return .success(
                AppendResult(
                    stream: request.stream,
                    positions: positions,
                    firstVersion: version,
                    wasDuplicate: code == Outcome.duplicate.rawValue
                )
            )
        case .wrongVersion?:
            return .failure(.wrongVersion(stream: request.stream, expected: request.expected, actual: version))
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
        return .failure(EventLogError(.internal, "the append procedure gave an unknown outcome \(code)"))
    }
}
