import Application
import Domain
import EventLog
import Foundation
import ReadModels

/// Queries of the read models (`COMMITMENT LIST`, `COMMITMENT GET`) and the operators'
/// `PROJECTION` commands. Every query takes `ON date` (a business date), `AS-OF position|time`
/// (as recorded then) and `AFTER position`.
enum ReadModelCommands {
    static let operators = CommandAccess.roles([.admin], rule: "only admins operate projections")
    static let observers = CommandAccess.roles(
        [.admin, .auditor, .leadership],
        rule: "projection status is for admins, auditors and leadership"
    )
    /// The options every query accepts.
    static let momentOptions: Set<String> = ["ON", "AS-OF", "AFTER"]
    /// How the moment options read in a synopsis.
    static let momentSynopsis = "[ON date] [AS-OF position|time] [AFTER position]"

    static let all: [CommandSpec] =
        [
            CommandSpec(
                "COMMITMENT LIST",
                arguments: 0...0,
                unbounded: true,
                access: .authenticated,
                synopsis:
                    "[ORG org] [STATUS open|fulfilled|cancelled] [OVERDUE] [DUE-BEFORE date] [CASE id] \(ReadModelListCommands.pageSynopsis) "
                    + momentSynopsis,
                summary:
                    "The commitment board by due date, a page at a time: status, level, owner, due, overdue, last progress, lineage.",
                handler: .deferred { invocation in
                    let options = try invocation.arguments.options(
                        from: 0,
                        allowed: momentOptions.union(["ORG", "STATUS", "DUE-BEFORE", "CASE"]).union(
                            ReadModelListCommands.pageOptions
                        ),
                        flags: ["OVERDUE"]
                    )
                    var filter = CommitmentFilter()
                    filter.org = options["ORG"]
                    filter.status = options["STATUS"]
                    filter.overdue = options["OVERDUE"] != nil
                    filter.dueBefore = try options["DUE-BEFORE"].map { text throws(CaselogError) in
                        try DomainCommands.domain { () throws(DomainError) in
                            try ISODate(parsing: text, field: "due-before")
                        }
                    }
                    filter.caseID = options["CASE"]
                    (filter.limit, filter.cursor) = try ReadModelListCommands.page(options)
                    let answer = try await readModels(invocation).commitments(filter, at: try moment(options))
                    return CommandReply(
                        .page(answer.rows.map { commitment($0, today: answer.today) }, next: answer.next)
                    )
                }
            ),
            CommandSpec(
                "COMMITMENT GET",
                arguments: 1...7,
                access: .authenticated,
                synopsis: "id " + momentSynopsis,
                summary:
                    "A commitment on the board with overdue and lineage, and its history: every version, each with the event that made it.",
                handler: .deferred { invocation in
                    let id = try invocation.arguments.string(0, field: "id")
                    let options = try invocation.arguments.options(from: 1, allowed: momentOptions)
                    let queries = invocation.context.queries
                    guard queries.hasReadModels else {
                        return CommandReply(try await queries.snapshot(kind: "commitment", id: id).reply)
                    }
                    var moment = try moment(options)
                    if moment.asOf == nil,
                        let last = try await queries.lastPosition(of: try StreamName(request: "commitment-\(id)"))
                    {
                        // Read your own writes: wait until the board has applied the commitment's last event.
                        moment.after = max(moment.after ?? 0, last)
                    }
                    let answer = try await queries.readModels().commitmentHistory(id, at: moment)
                    guard let current = answer.rows.last,
                        current.supersededAt == nil || moment.asOf != nil || moment.on != nil
                    else {
                        throw CaselogError(.notFound, "commitment: \(id) does not exist", field: "commitment")
                    }
                    guard case .map(var pairs) = commitment(current, today: answer.today) else {
                        return CommandReply(.null)
                    }
                    pairs.append(
                        RESPValue.MapEntry(
                            .bulk("history"),
                            .array(answer.rows.map { commitment($0, today: answer.today) })
                        )
                    )
                    return CommandReply(.map(pairs))
                }
            ),
            CommandSpec(
                "PROJECTION LIST",
                arguments: 0...0,
                access: observers,
                summary: "The projections and their states.",
                handler: .deferred { invocation in
                    let statuses = try await readModels(invocation).projectionStatuses()
                    return CommandReply(
                        .array(
                            statuses.map {
                                .map(pairs: [(.bulk("name"), .bulk($0.name)), (.bulk("state"), .bulk($0.state))])
                            }
                        )
                    )
                }
            ),
            CommandSpec(
                "PROJECTION STATUS",
                arguments: 0...1,
                access: observers,
                synopsis: "[name]",
                summary:
                    "Checkpoint, head, lag in events and seconds, rate and state (with the failing event) of each projection.",
                handler: .deferred { invocation in
                    let name =
                        invocation.arguments.isEmpty ? nil : try invocation.arguments.string(0, field: "projection")
                    let statuses = try await readModels(invocation).projectionStatuses().filter {
                        name == nil || $0.name == name
                    }
                    if let name, statuses.isEmpty {
                        throw CaselogError(.notFound, "projection: \(name) does not exist", field: "projection")
                    }
                    return CommandReply(.array(statuses.map(status)))
                }
            ),
        ] + ProjectionAction.allCases.map(action) + [skip]

    /// `PROJECTION SKIP name position REASON text`.
    static let skip = CommandSpec(
        "PROJECTION SKIP",
        arguments: 2...4,
        access: operators,
        write: true,
        synopsis: "name position REASON text",
        summary:
            "Passes over the event a failed projection stopped at, for good (rebuilds too); the decision and its reason are recorded as an event.",
        handler: .deferred { invocation in
            let arguments = invocation.arguments
            let name = try arguments.string(0, field: "projection")
            guard let position = Int64(try arguments.string(1, field: "position")), position > 0 else {
                throw CaselogError.invalid("position", "must be a log position (a whole number from 1)")
            }
            let options = try arguments.options(from: 2, allowed: ["REASON"])
            guard let reason = options["REASON"], !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw CaselogError.invalid("reason", "REASON text is required: say why the event is skipped")
            }
            guard reason.count <= 1000 else {
                throw CaselogError.invalid("reason", "must be at most 1000 characters")
            }
            let recorded = try await readModels(invocation).skip(
                position,
                on: name,
                reason: reason,
                metadata: invocation.session.caller.metadataText()
            )
            return CommandReply(.map(pairs: [(.bulk("position"), .integer(recorded))]))
        }
    )

    /// `PROJECTION PAUSE|RESUME|REBUILD name`.
    static func action(_ action: ProjectionAction) -> CommandSpec {
        let summaries: [ProjectionAction: String] = [
            .pause: "Stops applying events (in every server process) until RESUME.",
            .resume: "Applies events again; after a failure, tries the failed event again.",
            .rebuild: "Rebuilds the read model from position 0 beside the live one, then swaps it in atomically.",
        ]
        return CommandSpec(
            "PROJECTION \(action.rawValue.uppercased())",
            arguments: 1...1,
            access: operators,
            write: true,
            synopsis: "name",
            summary: summaries[action] ?? "",
            handler: .deferred { invocation in
                let name = try invocation.arguments.string(0, field: "projection")
                try await readModels(invocation).perform(action, on: name)
                return CommandReply(.ok)
            }
        )
    }

    static func readModels(_ invocation: CommandInvocation) throws(CaselogError) -> any ReadModelBackend {
        try invocation.context.queries.readModels()
    }

    /// Reads `ON` (a business date), `AS-OF` (a position, a date — its end, in Chicago — or an
    /// ISO 8601 time) and `AFTER`.
    static func moment(_ options: [String: String]) throws(CaselogError) -> QueryMoment {
        var moment = QueryMoment()
        if let after = options["AFTER"] {
            moment.after = try LogCommands.number(after, field: "after", default: 0)
        }
        moment.on = try ReadModelListCommands.date(options["ON"], field: "on")
        guard let text = options["AS-OF"] else { return moment }
        if let position = Int64(text), position >= 0 {
            moment.asOf = .position(position)
        } else if let time = timestamp(text) {
            moment.asOf = .timestamp(time)
        } else {
            throw CaselogError.invalid("as-of", "must be a log position, a date yyyy-mm-dd or an ISO 8601 time")
        }
        return moment
    }

    private static func timestamp(_ text: String) -> Timestamp? {
        if let date = try? ISODate(parsing: text) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = .chicago
            let next = DateComponents(year: date.year, month: date.month, day: date.day + 1)
            guard let end = calendar.date(from: next) else { return nil }
            return Timestamp(microsecondsSinceEpoch: Int64(end.timeIntervalSince1970 * 1_000_000) - 1)
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text) else { return nil }
        return Timestamp(microsecondsSinceEpoch: Int64((date.timeIntervalSince1970 * 1_000_000).rounded()))
    }

    /// A board row with overdue judged on `today`, and its lineage.
    static func commitment(_ lineaged: Lineaged<CommitmentRow>, today: ISODate) -> RESPValue {
        let row = lineaged.row
        let overdueDays = row.isOverdue(on: today) ? today.dayNumber - row.dueOn.dayNumber : 0
        return .row(
            row,
            extra: [
                ("overdue", .boolean(overdueDays > 0)),
                ("days_overdue", .integer(Int64(overdueDays))),
            ],
            lineage: lineaged
        )
    }

    static func status(_ status: ProjectionStatus) -> RESPValue {
        .map(pairs: [
            (.bulk("name"), .bulk(status.name)),
            (.bulk("state"), .bulk(status.state)),
            (.bulk("checkpoint"), .integer(status.checkpoint)),
            (.bulk("head"), .integer(status.head)),
            (.bulk("lag_events"), .integer(status.lagEvents)),
            (.bulk("lag_seconds"), .double(status.lagSeconds)),
            (.bulk("rate"), .double(status.rate)),
            (.bulk("rebuild_position"), status.rebuildPosition.map(RESPValue.integer) ?? .null),
            (.bulk("failed_position"), status.failedPosition.map(RESPValue.integer) ?? .null),
            (.bulk("failed_event_id"), status.failedEventID.map(RESPValue.bulk) ?? .null),
            (.bulk("error"), status.error.map(RESPValue.bulk) ?? .null),
            (
                .bulk("skipped"),
                .array(
                    status.skips.map { skip in
                        .map(pairs: [
                            (.bulk("position"), .integer(skip.position)),
                            (.bulk("event_id"), .bulk(skip.eventID)),
                            (.bulk("reason"), .bulk(skip.reason)),
                        ])
                    }
                )
            ),
        ])
    }
}

extension RESPValue {
    /// A read-model row as a map: its fields as stored, `extra` derived ones, then its lineage.
    static func row<Row: Encodable>(_ row: Row, extra: [(String, RESPValue)], lineage: Lineaged<Row>) -> RESPValue {
        var fields: [MapEntry] = []
        if case .map(let entries)? = try? RESPValueEncoder.encode(row) { fields = entries }
        return RESPValue.map(
            fields + extra.map { MapEntry(.bulk($0.0), $0.1) } + [
                MapEntry(.bulk("last_position"), .integer(lineage.position)),
                MapEntry(.bulk("last_event_id"), .bulk(lineage.eventID)),
                MapEntry(.bulk("superseded_at"), lineage.supersededAt.map(RESPValue.integer) ?? .null),
            ]
        )
    }
}
