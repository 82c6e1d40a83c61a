import AdminProtocol
import CaselogTesting
import Domain
import Foundation
import Testing

/// `ON date` (what was true on a business date, by the events' own dates) and `AS-OF` (what the
/// log said then), alone and combined, over real TCP on a history backfilled today.
@Suite struct BusinessDateCommandTests {
    static let today = ISODate(year: 2025, month: 9, day: 1)!

    /// Sends a write and answers its reply, failing when it is refused.
    @discardableResult
    static func write(_ client: RESPTestClient, _ arguments: String...) async throws -> (id: String, position: Int64) {
        let reply = try await client.command(arguments)
        guard let id = reply["id"]?.text, case .integer(let position) = reply["position"] else {
            throw TestEnvironmentError("\(arguments.prefix(2)) failed: \(reply)")
        }
        return (id, position)
    }

    static func make(_ client: RESPTestClient, madeOn: String, dueOn: String) async throws -> (
        id: String, position: Int64
    ) {
        try await write(
            client,
            "COMMITMENT",
            "MAKE",
            "OWNER_ORG",
            "cbo-one",
            "TEXT",
            "Report back",
            "MADE_TO",
            "residents",
            "MADE_ON",
            madeOn,
            "DUE_ON",
            dueOn
        )
    }

    /// The rows of a paged list's page, or of a reply that is one list (statistics, scorecards).
    static func rows(_ reply: RESPValue) -> [RESPValue] {
        if let page = reply.page { return page.rows }
        guard case .array(let rows) = reply else {
            Issue.record("a list expected: \(reply)")
            return []
        }
        return rows
    }

    @Test func theBoardAnswersForABusinessDateAsKnownNowOrAtAPosition() async throws {
        try await TestServer.with(readModels: true, today: { Self.today }) { server in
            try await server.withClient(token: server.adminToken) { (client) async throws in
                try await Self.write(client, "ORG", "REGISTER", "cbo-one", "NAME", "One", "KIND", "cbo")
                // Paper records entered today: kept late, kept on time, made after June.
                let late = try await Self.make(client, madeOn: "2025-01-10", dueOn: "2025-03-01")
                try await Self.write(
                    client,
                    "COMMITMENT",
                    "PROGRESS",
                    late.id,
                    "LEVEL",
                    "limited",
                    "REPORTED_ON",
                    "2025-04-02"
                )
                try await Self.write(
                    client,
                    "COMMITMENT",
                    "FULFIL",
                    late.id,
                    "EVIDENCE",
                    "posted",
                    "FULFILLED_ON",
                    "2025-07-15"
                )
                let kept = try await Self.make(client, madeOn: "2025-02-01", dueOn: "2025-06-01")
                try await Self.write(
                    client,
                    "COMMITMENT",
                    "FULFIL",
                    kept.id,
                    "EVIDENCE",
                    "posted",
                    "FULFILLED_ON",
                    "2025-05-20"
                )
                let summer = try await Self.make(client, madeOn: "2025-08-01", dueOn: "2025-08-15")
                // Believed open when first recorded; a later record shows it was kept on June 10.
                let corrected = try await Self.make(client, madeOn: "2025-04-01", dueOn: "2025-06-15")
                let correction = try await Self.write(
                    client,
                    "COMMITMENT",
                    "FULFIL",
                    corrected.id,
                    "EVIDENCE",
                    "found the minutes",
                    "FULFILLED_ON",
                    "2025-06-10"
                )
                let after = String(correction.position)

                let june = Self.rows(
                    try await client.command("COMMITMENT", "LIST", "OVERDUE", "ON", "2025-06-30", "AFTER", after)
                )
                #expect(june.map { $0["id"]?.text } == [late.id], "overdue at the end of June")
                #expect(june.first?["status"]?.text == "open" && june.first?["level"]?.text == "limited")
                #expect(june.first?["days_overdue"] == .integer(121), "counted to June 30")
                #expect(june.first?["fulfilled_on"] == nil, "not fulfilled yet on June 30")

                let now = Self.rows(try await client.command("COMMITMENT", "LIST", "OVERDUE", "AFTER", after))
                #expect(now.map { $0["id"]?.text } == [summer.id], "overdue today, \(Self.today)")
                #expect(now.first?["days_overdue"] == .integer(17))

                let board = Self.rows(try await client.command("COMMITMENT", "LIST", "ON", "2025-06-30"))
                #expect(
                    Set(board.map { "\($0["id"]?.text ?? "") \($0["status"]?.text ?? "")" })
                        == ["\(late.id) open", "\(kept.id) fulfilled", "\(corrected.id) fulfilled"],
                    "the commitment made in August was not on the board in June"
                )
                #expect(Self.rows(try await client.command("COMMITMENT", "LIST", "ON", "2025-01-09")).isEmpty)

                // What the log said at the position before the correction, about June 30.
                let believed = Self.rows(
                    try await client.command(
                        "COMMITMENT",
                        "LIST",
                        "OVERDUE",
                        "ON",
                        "2025-06-30",
                        "AS-OF",
                        String(correction.position - 1)
                    )
                )
                #expect(
                    Set(believed.compactMap { $0["id"]?.text }) == [late.id, corrected.id],
                    "believed overdue before the correction was recorded"
                )

                let got = try await client.command("COMMITMENT", "GET", late.id, "ON", "2025-06-30")
                #expect(got["status"]?.text == "open" && got["days_overdue"] == .integer(121), "\(got)")
                guard case .array(let history) = got["history"] else {
                    Issue.record("history expected: \(got)")
                    return
                }
                #expect(history.map { $0["level"]?.text } == ["not-started", "limited"], "versions by June 30")
                #expect(
                    try await client.command("COMMITMENT", "GET", summer.id, "ON", "2025-06-30").errorCode == "NOTFOUND"
                )

                let card = Self.rows(try await client.command("ORG", "SCORECARD", "cbo-one", "ON", "2025-06-30"))
                #expect(card.first?["made"] == .integer(3) && card.first?["overdue"] == .integer(1), "\(card)")
                #expect(card.first?["fulfilled"] == .integer(2))
            }
        }
    }

    @Test func casesFollowUpsAndActivitiesAnswerForABusinessDate() async throws {
        try await TestServer.with(readModels: true, today: { Self.today }) { server in
            try await server.withClient(token: server.adminToken) { (client) async throws in
                try await Self.write(client, "ORG", "REGISTER", "cbo-one", "NAME", "One", "KIND", "cbo")
                let opened = try await Self.write(
                    client,
                    "CASE",
                    "OPEN",
                    "LEAD_ORG",
                    "cbo-one",
                    "TITLE",
                    "Lighting on Chicago Ave",
                    "OPENED_ON",
                    "2025-02-01"
                )
                try await Self.write(
                    client,
                    "CASE",
                    "CLOSE",
                    opened.id,
                    "RESOLUTION",
                    "lights fixed",
                    "CLOSED_ON",
                    "2025-05-01"
                )
                let followUp = try await Self.write(
                    client,
                    "FOLLOWUP",
                    "SCHEDULE",
                    "ABOUT",
                    "case-\(opened.id)",
                    "ASSIGNEE_ORG",
                    "cbo-one",
                    "DUE_ON",
                    "2025-03-01",
                    "SCHEDULED_ON",
                    "2025-02-03"
                )
                try await Self.write(
                    client,
                    "FOLLOWUP",
                    "COMPLETE",
                    followUp.id,
                    "OUTCOME",
                    "called back",
                    "COMPLETED_ON",
                    "2025-08-01"
                )
                let activity = try await Self.write(
                    client,
                    "ACTIVITY",
                    "LOG",
                    "ORG",
                    "cbo-one",
                    "KIND",
                    "survey",
                    "ATTENDANCE",
                    "12",
                    "OCCURRED_ON",
                    "2025-07-01"
                )
                let after = String(activity.position)

                let april = Self.rows(try await client.command("CASE", "LIST", "ON", "2025-04-01", "AFTER", after))
                #expect(april.map { $0["status"]?.text } == ["open"] && april.first?["opened_on"]?.text == "2025-02-01")
                #expect(Self.rows(try await client.command("CASE", "LIST", "ON", "2025-01-31")).isEmpty)
                let closed = Self.rows(try await client.command("CASE", "LIST", "AFTER", after))
                #expect(closed.map { $0["closed_on"]?.text } == ["2025-05-01"])

                let overdue = Self.rows(
                    try await client.command("FOLLOWUP", "LIST", "OVERDUE", "ON", "2025-06-30", "AFTER", after)
                )
                #expect(
                    overdue.map { $0["id"]?.text } == [followUp.id] && overdue.first?["days_overdue"] == .integer(121)
                )
                #expect(Self.rows(try await client.command("FOLLOWUP", "LIST", "OVERDUE", "AFTER", after)).isEmpty)

                #expect(
                    Self.rows(try await client.command("ACTIVITY", "LIST", "ON", "2025-06-30", "AFTER", after)).isEmpty
                )
                #expect(Self.rows(try await client.command("ACTIVITY", "LIST", "ON", "2025-07-01")).count == 1)
                let stats = Self.rows(try await client.command("ACTIVITY", "STATS", "BY", "org", "ON", "2025-07-31"))
                #expect(stats.first?["attendance"] == .integer(12))
                #expect(
                    Self.rows(try await client.command("ACTIVITY", "STATS", "BY", "org", "ON", "2025-06-30")).isEmpty
                )
            }
        }
    }

    @Test func aFutureAsOfAndMalformedOrFutureDaysAreRefused() async throws {
        try await TestServer.with(readModels: true, today: { Self.today }) { server in
            try await server.withClient(token: server.adminToken) { (client) async throws in
                try await Self.write(client, "ORG", "REGISTER", "cbo-one", "NAME", "One", "KIND", "cbo")
                #expect(
                    try await client.command("COMMITMENT", "LIST", "OVERDUE", "AS-OF", "2025-09-02").text
                        == "INVALID as-of: 2025-09-02 is in the future (today is 2025-09-01); use ON for a business date"
                )
                #expect(
                    try await client.command("CASE", "LIST", "AS-OF", "2099-01-01T00:00:00Z").errorCode == "INVALID"
                )
                let asOfToday = try await client.command("COMMITMENT", "LIST", "AS-OF", "2025-09-01")
                #expect(asOfToday.errorCode == nil, "\(asOfToday)")
                #expect(try await client.command("COMMITMENT", "LIST", "ON", "June").errorCode == "INVALID")
                #expect(
                    try await client.command("CASE", "TIMELINE", UUID().uuidString, "ON", "2025-06-30").errorCode
                        == "INVALID"
                )

                let made = try await Self.make(client, madeOn: "2025-01-10", dueOn: "2025-03-01")
                let head = try await client.command("LOG", "HEAD")
                let tomorrow = ISODate(Date(), timeZone: .chicago).adding(days: 1)
                #expect(
                    try await client.command(
                        "CASE",
                        "OPEN",
                        "TITLE",
                        "t",
                        "LEAD_ORG",
                        "cbo-one",
                        "OPENED_ON",
                        tomorrow.description
                    )
                    .text?.hasPrefix("INVALID opened_on: must not be in the future (today is ") == true,
                    "writes are judged on the domain's clock"
                )
                #expect(
                    try await client.command(
                        "COMMITMENT",
                        "PROGRESS",
                        made.id,
                        "LEVEL",
                        "limited",
                        "REPORTED_ON",
                        "2025-01-09"
                    )
                    .text == "INVALID reported_on: must not be before made_on (2025-01-10)"
                )
                #expect(
                    try await client.command(
                        "COMMITMENT",
                        "CANCEL",
                        made.id,
                        "REASON",
                        "r",
                        "CANCELLED_ON",
                        "2025-13-01"
                    )
                    .errorCode == "INVALID"
                )
                #expect(try await client.command("LOG", "HEAD") == head, "nothing appended by the refusals")
            }
        }
    }
}
