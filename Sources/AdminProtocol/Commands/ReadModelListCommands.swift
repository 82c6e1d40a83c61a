import Application
import Domain
import EventLog
import Foundation
import ReadModels

/// The list, statistics, timeline and scorecard queries of the other read models; like
/// `COMMITMENT LIST`, each takes `ON date`, `AS-OF position|time` and `AFTER position` (the
/// timeline, a list in log order, takes no `ON`).
enum ReadModelListCommands {
    static let all: [CommandSpec] = [
        list(
            "FOLLOWUP LIST",
            options: pageOptions.union(["ORG", "STATUS", "DUE-BEFORE", "ABOUT"]),
            flags: ["OVERDUE"],
            synopsis:
                "[ORG org] [STATUS scheduled|blocked|completed|cancelled] [OVERDUE] [DUE-BEFORE date] [ABOUT stream] \(pageSynopsis)",
            summary: "Follow-ups by due date, a page at a time: due, overdue, blocked (with the reason), lineage."
        ) { options, moment, readModels in
            var filter = FollowUpFilter()
            filter.org = options["ORG"]
            filter.status = options["STATUS"]
            filter.overdue = options["OVERDUE"] != nil
            filter.dueBefore = try date(options["DUE-BEFORE"], field: "due-before")
            filter.about = options["ABOUT"]
            (filter.limit, filter.cursor) = try page(options)
            let answer = try await readModels.followUps(filter, at: moment)
            return .page(
                answer.rows.map { followUp in
                    let overdue = followUp.row.isOverdue(on: answer.today)
                    let days = overdue ? answer.today.dayNumber - followUp.row.dueOn.dayNumber : 0
                    return .row(
                        followUp.row,
                        extra: [("overdue", .boolean(overdue)), ("days_overdue", .integer(Int64(days)))],
                        lineage: followUp
                    )
                },
                next: answer.next
            )
        },
        list(
            "ACTIVITY LIST",
            options: pageOptions.union(["ORG", "AREA", "THEME", "SINCE", "UNTIL", "CASE", "STATUS"]),
            synopsis:
                "[ORG org] [AREA area] [THEME theme] [SINCE date] [UNTIL date] [CASE id] [STATUS recorded|retracted] \(pageSynopsis)",
            summary: "Engagement activities, most recent first, a page at a time, with lineage."
        ) { options, moment, readModels in
            var filter = ActivityFilter()
            filter.org = options["ORG"]
            filter.area = try options["AREA"].map { text throws(CaselogError) in
                try DomainCommands.domain { () throws(DomainError) in try CommunityArea(parsing: text, field: "area") }
                    .number
            }
            filter.theme = options["THEME"]
            filter.since = try date(options["SINCE"], field: "since")
            filter.until = try date(options["UNTIL"], field: "until")
            filter.caseID = options["CASE"]
            filter.status = options["STATUS"]
            (filter.limit, filter.cursor) = try page(options)
            let answer = try await readModels.activities(filter, at: moment)
            return .page(answer.rows.map { .row($0.row, extra: [], lineage: $0) }, next: answer.next)
        },
        list(
            "ACTIVITY STATS",
            options: ["BY", "SINCE", "UNTIL", "ORG"],
            synopsis: "BY area|district|org|theme|month [SINCE date] [UNTIL date] [ORG org]",
            summary:
                "Sessions and attendance of recorded activities per community area, police district, org, theme or month; of one org with ORG."
        ) { options, moment, readModels in
            let groupings = ActivityGrouping.allCases.map(\.rawValue).joined(separator: "|")
            guard let text = options["BY"], let grouping = ActivityGrouping(rawValue: text.lowercased()) else {
                throw CaselogError.invalid("by", "must be one of \(groupings)")
            }
            let answer = try await readModels.activityStatistics(
                by: grouping,
                since: try date(options["SINCE"], field: "since"),
                until: try date(options["UNTIL"], field: "until"),
                org: options["ORG"],
                at: moment
            )
            return .array(
                answer.rows.map { statistic in
                    .map(pairs: [
                        (.bulk(grouping.rawValue), statistic.row.group.map(RESPValue.bulk) ?? .null),
                        (.bulk("label"), statistic.row.label.map(RESPValue.bulk) ?? .null),
                        (.bulk("sessions"), .integer(Int64(statistic.row.sessions))),
                        (.bulk("attendance"), .integer(Int64(statistic.row.attendance))),
                        (.bulk("last_position"), .integer(statistic.position)),
                        (.bulk("last_event_id"), .bulk(statistic.eventID)),
                    ])
                }
            )
        },
        list(
            "CASE LIST",
            options: pageOptions.union(["ORG", "STATUS"]),
            synopsis: "[ORG org] [STATUS open|closed] \(pageSynopsis)",
            summary: "Cases, oldest first, a page at a time: lead organization, areas, themes, status, lineage."
        ) { options, moment, readModels in
            var filter = CaseFilter()
            filter.org = options["ORG"]
            filter.status = options["STATUS"]
            (filter.limit, filter.cursor) = try page(options)
            let answer = try await readModels.cases(filter, at: moment)
            return .page(answer.rows.map { .row($0.row, extra: [], lineage: $0) }, next: answer.next)
        },
        list(
            "CASE TIMELINE",
            positional: "id",
            options: [],
            businessDate: false,
            synopsis: "id",
            summary: "A case's timeline: its own events and every activity, commitment and follow-up that names it."
        ) { options, moment, readModels in
            let answer = try await readModels.caseTimeline(options["id"] ?? "", at: moment)
            return .array(
                answer.rows.map { entry in
                    .map(pairs: [
                        (.bulk("position"), .integer(entry.position)),
                        (.bulk("event_id"), .bulk(entry.eventID)),
                        (.bulk("stream"), .bulk(entry.row.stream)),
                        (.bulk("type"), .bulk(entry.row.type)),
                        (.bulk("summary"), .bulk(entry.row.summary)),
                        (.bulk("recorded_on"), .bulk(entry.row.recordedOn.description)),
                    ])
                }
            )
        },
        list(
            "ORG SCORECARD",
            positional: "org?",
            options: [],
            synopsis: "[org]",
            summary:
                "Per organization: commitments made, open, fulfilled (on time), overdue now, cancelled, median days to fulfil."
        ) { options, moment, readModels in
            let answer = try await readModels.scorecards(org: options["org?"], at: moment)
            return .array(
                answer.rows.map { card in
                    .map(pairs: [
                        (.bulk("org"), .bulk(card.row.org)),
                        (.bulk("made"), .integer(Int64(card.row.made))),
                        (.bulk("open"), .integer(Int64(card.row.open))),
                        (.bulk("fulfilled"), .integer(Int64(card.row.fulfilled))),
                        (.bulk("fulfilled_on_time"), .integer(Int64(card.row.fulfilledOnTime))),
                        (.bulk("overdue"), .integer(Int64(card.row.overdue))),
                        (.bulk("cancelled"), .integer(Int64(card.row.cancelled))),
                        (.bulk("median_days_to_fulfil"), card.row.medianDaysToFulfil.map(RESPValue.double) ?? .null),
                        (.bulk("last_position"), .integer(card.position)),
                        (.bulk("last_event_id"), .bulk(card.eventID)),
                    ])
                }
            )
        },
    ]

    /// A query command: an optional positional argument (`name?` when it may be left out), then
    /// `options`, `flags` and the moment options.
    static func list(
        _ name: String,
        positional: String? = nil,
        options: Set<String>,
        flags: Set<String> = [],
        businessDate: Bool = true,
        synopsis: String,
        summary: String,
        answer: @escaping @Sendable ([String: String], QueryMoment, any ReadModelBackend) async throws -> RESPValue
    ) -> CommandSpec {
        let required = positional.map { !$0.hasSuffix("?") } ?? false
        return CommandSpec(
            name,
            arguments: (required ? 1 : 0)...(required ? 1 : 0),
            unbounded: true,
            access: .authenticated,
            synopsis: synopsis + " "
                + (businessDate
                    ? ReadModelCommands.momentSynopsis : "[AS-OF position|time] [AFTER position]"),
            summary: summary,
            handler: .deferred { invocation in
                let arguments = invocation.arguments
                var start = 0
                var values: [String: String] = [:]
                let first = arguments.isEmpty ? nil : try arguments.string(0, field: "option").uppercased()
                if let positional, let first, required || !ReadModelCommands.momentOptions.contains(first) {
                    values[positional] = try arguments.string(
                        0,
                        field: positional.replacingOccurrences(of: "?", with: "")
                    )
                    start = 1
                }
                let parsed = try arguments.options(
                    from: start,
                    allowed: options.union(ReadModelCommands.momentOptions.subtracting(businessDate ? [] : ["ON"])),
                    flags: flags
                )
                values.merge(parsed) { first, _ in first }
                let readModels = try ReadModelCommands.readModels(invocation)
                return CommandReply(try await answer(values, try ReadModelCommands.moment(parsed), readModels))
            }
        )
    }

    static func date(_ text: String?, field: String) throws(CaselogError) -> ISODate? {
        guard let text else { return nil }
        return try DomainCommands.domain { () throws(DomainError) in try ISODate(parsing: text, field: field) }
    }

    /// The options of a paged list.
    static let pageOptions: Set<String> = ["LIMIT", "CURSOR"]
    static let pageSynopsis = "[LIMIT n] [CURSOR cursor]"

    /// `LIMIT n` (1 to 10,000 rows a page, 100 without it) and `CURSOR c` (`0` or none: the first page).
    static func page(_ options: [String: String]) throws(CaselogError) -> (limit: Int, cursor: ListCursor?) {
        var limit = 100
        if let text = options["LIMIT"] {
            guard let number = Int(text), (1...10_000).contains(number) else {
                throw CaselogError.invalid("limit", "must be a whole number from 1 to 10000")
            }
            limit = number
        }
        guard let text = options["CURSOR"], text != "0" else { return (limit, nil) }
        guard let cursor = ListCursor(encoded: text) else {
            throw CaselogError.invalid(
                "cursor",
                "must be 0 or the cursor the previous page answered (lists page as SCAN does)"
            )
        }
        return (limit, cursor)
    }
}

extension RESPValue {
    /// One page of a list, as Redis `SCAN` answers: the next page's cursor (`0` when this page is
    /// the last), then the rows.
    static func page(_ rows: [RESPValue], next: ListCursor?) -> RESPValue {
        .array([.bulk(next?.encoded ?? "0"), .array(rows)])
    }
}
