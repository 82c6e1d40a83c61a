import AdminProtocol
import CaselogTesting
import Domain
import Foundation
import Testing

/// The read-model queries and projection operations over real TCP, with the projections running.
@Suite struct ReadModelCommandTests {
    static func makeCommitment(_ client: RESPTestClient, due: String) async throws -> (id: String, position: Int64) {
        let reply = try await client.command(
            "COMMITMENT",
            "MAKE",
            "OWNER_ORG",
            "cbo-one",
            "TEXT",
            "Report back to residents",
            "MADE_TO",
            "Austin residents",
            "MADE_ON",
            "2025-01-10",
            "DUE_ON",
            due
        )
        guard let id = reply["id"]?.text, case .integer(let position) = reply["position"] else {
            throw TestEnvironmentError("COMMITMENT MAKE failed: \(reply)")
        }
        return (id, position)
    }

    @Test func theBoardAnswersListsGetsAndAsOfQueries() async throws {
        let today = try ISODate(parsing: "2025-06-01")
        try await TestServer.with(readModels: true, today: { today }) { server in
            try await server.withClient(token: server.adminToken) { (client) async throws in
                #expect(
                    try await client.command("ORG", "REGISTER", "cbo-one", "NAME", "One", "KIND", "cbo")["id"] != nil
                )
                let late = try await Self.makeCommitment(client, due: "2025-03-01")
                let onTime = try await Self.makeCommitment(client, due: "2025-09-01")
                let before = late.position

                let overdue = try await client.command(
                    "COMMITMENT",
                    "LIST",
                    "OVERDUE",
                    "AFTER",
                    String(onTime.position)
                )
                guard let (cursor, rows) = overdue.page, rows.count == 1 else {
                    Issue.record("one overdue commitment expected: \(overdue)")
                    return
                }
                #expect(cursor == "0", "one page holds the whole list")
                #expect(rows[0]["id"]?.text == late.id)
                #expect(rows[0]["days_overdue"] == .integer(92))
                #expect(rows[0]["last_position"] == .integer(late.position), "lineage")

                let fulfilled = try await client.command(
                    "COMMITMENT",
                    "FULFIL",
                    late.id,
                    "EVIDENCE",
                    "Posted at the library",
                    "FULFILLED_ON",
                    "2025-05-20"
                )
                let got = try await client.command("COMMITMENT", "GET", late.id)
                #expect(got["status"]?.text == "fulfilled", "GET reads its own writes: \(got)")
                #expect(got["last_position"] == fulfilled["position"])
                guard case .array(let history) = got["history"] else {
                    Issue.record("history expected: \(got)")
                    return
                }
                #expect(history.map { $0["status"]?.text } == ["open", "fulfilled"])

                let then = try await client.command("COMMITMENT", "LIST", "OVERDUE", "AS-OF", String(before))
                guard let (_, thenRows) = then.page else {
                    Issue.record("AS-OF list: \(then)")
                    return
                }
                #expect(thenRows.map { $0["id"]?.text } == [late.id], "as it stood at position \(before)")
                #expect(
                    try await client.command("COMMITMENT", "LIST", "AS-OF", "yesterday").errorCode == "INVALID"
                )
            }
        }
    }

    @Test func operatorsSeeAndSteerTheProjections() async throws {
        try await TestServer.with(readModels: true) { server in
            let auditor = try await server.token(for: "audrey", role: .auditor)
            try await server.withClient(token: server.adminToken) { (client) async throws in
                #expect(
                    try await client.command("ORG", "REGISTER", "cbo-one", "NAME", "One", "KIND", "cbo")["id"] != nil
                )
                #expect(try await client.command("PROJECTION", "PAUSE", "commitments") == .ok)
                let made = try await Self.makeCommitment(client, due: "2025-09-01")
                let row = try await PoisonEventTests.status(of: "commitments", client) { $0["state"]?.text == "paused" }
                #expect(row["lag_events"] != .integer(0), "paused while the log grew: \(row)")
                #expect(try await client.command("PROJECTION", "RESUME", "commitments") == .ok)
                let listed = try await client.command("COMMITMENT", "LIST", "AFTER", String(made.position))
                guard let (_, board) = listed.page else {
                    Issue.record("COMMITMENT LIST: \(listed)")
                    return
                }
                #expect(board.map { $0["id"]?.text } == [made.id], "applied once resumed")
                #expect(try await client.command("PROJECTION", "REBUILD", "nosuch").errorCode == "NOTFOUND")
            }
            try await server.withClient(token: auditor) { (client) async throws in
                #expect(try await client.command("PROJECTION", "LIST") != .null)
                #expect(try await client.command("PROJECTION", "PAUSE", "commitments").errorCode == "NOPERM")
            }
        }
    }

    @Test func listsStatisticsTimelinesAndScorecardsAnswerOverTheProtocol() async throws {
        let today = try ISODate(parsing: "2025-06-01")
        try await TestServer.with(readModels: true, today: { today }) { server in
            try await server.withClient(token: server.adminToken) { (client) async throws in
                #expect(
                    try await client.command("ORG", "REGISTER", "cbo-one", "NAME", "One", "KIND", "cbo")["id"] != nil
                )
                let opened = try await client.command("CASE", "OPEN", "TITLE", "Call triage", "LEAD_ORG", "cbo-one")
                let caseID = try #require(opened["id"]?.text, "\(opened)")
                _ = try await client.command(
                    "ACTIVITY",
                    "LOG",
                    "ORG",
                    "cbo-one",
                    "KIND",
                    "listening-session",
                    "ATTENDANCE",
                    "40",
                    "OCCURRED_ON",
                    "2025-02-03",
                    "COMMUNITY_AREA",
                    "Austin",
                    "THEMES",
                    "trust",
                    "CASE_ID",
                    caseID
                )
                _ = try await Self.makeCommitment(client, due: "2025-03-01")
                let scheduled = try await client.command(
                    "FOLLOWUP",
                    "SCHEDULE",
                    "ABOUT",
                    "case-\(caseID)",
                    "ASSIGNEE_ORG",
                    "cbo-one",
                    "DUE_ON",
                    "2025-04-01"
                )
                let after = try #require(scheduled["position"]?.text, "\(scheduled)")

                let activities = try await client.command("ACTIVITY", "LIST", "AREA", "austin", "AFTER", after)
                guard let (_, activityRows) = activities.page else {
                    Issue.record("ACTIVITY LIST: \(activities)")
                    return
                }
                #expect(activityRows.count == 1)
                let stats = try await client.command("ACTIVITY", "STATS", "BY", "area", "AFTER", after)
                guard case .array(let statRows) = stats, let first = statRows.first else {
                    Issue.record("ACTIVITY STATS: \(stats)")
                    return
                }
                #expect(first["sessions"] == .integer(1) && first["attendance"] == .integer(40), "\(first)")
                let followUps = try await client.command("FOLLOWUP", "LIST", "OVERDUE", "AFTER", after)
                guard let (_, followUpRows) = followUps.page else {
                    Issue.record("FOLLOWUP LIST: \(followUps)")
                    return
                }
                #expect(followUpRows.count == 1 && followUpRows[0]["days_overdue"] == .integer(61))
                let timeline = try await client.command("CASE", "TIMELINE", caseID, "AFTER", after)
                guard case .array(let entries) = timeline else {
                    Issue.record("CASE TIMELINE: \(timeline)")
                    return
                }
                #expect(entries.map { $0["type"]?.text } == ["CaseOpened", "ActivityLogged", "FollowUpScheduled"])
                let cards = try await client.command("ORG", "SCORECARD", "cbo-one", "AFTER", after)
                guard case .array(let cardRows) = cards else {
                    Issue.record("ORG SCORECARD: \(cards)")
                    return
                }
                #expect(cardRows.first?["made"] == .integer(1) && cardRows.first?["overdue"] == .integer(1))
                #expect(try await client.command("ACTIVITY", "STATS", "BY", "color").errorCode == "INVALID")
                let badInput: [[String]] = [
                    ["FOLLOWUP", "LIST", "DUE-BEFORE", "2025-13-01"],
                    ["ACTIVITY", "LIST", "AREA", "Atlantis"],
                    ["CASE", "LIST", "LIMIT", "-1"],
                    ["COMMITMENT", "LIST", "COLOR", "blue"],
                    ["ORG", "SCORECARD", "cbo-one", "AFTER", "soon"],
                ]
                for command in badInput {
                    let reply = try await client.command(command)
                    #expect(reply.errorCode == "INVALID", "\(command): \(reply)")
                }
                #expect(try await client.command("PING") == .pong, "bad input does not close the connection")
            }
        }
    }
}
