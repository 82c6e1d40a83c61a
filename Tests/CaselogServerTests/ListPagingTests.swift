import AdminProtocol
import CaselogTesting
import Domain
import Foundation
import ReadModels
import Testing

/// Lists page as Redis `SCAN` does, over real TCP: `[next cursor, rows]`, `0` after the last page,
/// every page of one listing read at the position of its first, whatever is appended between pages.
@Suite struct ListPagingTests {
    /// Pages `command` with `LIMIT limit` until the cursor is `0`; `between` runs after each page
    /// but the last. Returns each page's rows.
    static func pages(
        _ client: RESPTestClient,
        _ command: [String],
        limit: Int,
        between: (Int) async throws -> Void = { _ in }
    ) async throws -> [[RESPValue]] {
        var pages: [[RESPValue]] = []
        var cursor = "0"
        repeat {
            let arguments = command + ["LIMIT", String(limit)] + (cursor == "0" ? [] : ["CURSOR", cursor])
            let reply = try await client.command(arguments)
            guard let page = reply.page else { throw TestEnvironmentError("\(arguments): \(reply)") }
            #expect(page.rows.count <= limit)
            pages.append(page.rows)
            cursor = page.cursor
            if cursor != "0" { try await between(pages.count) }
        } while cursor != "0" && pages.count < 50
        return pages
    }

    /// Waits (read-your-writes, no sleeping) until the commitment board has applied `position`.
    static func boardApplied(_ client: RESPTestClient, _ position: Int64) async throws {
        let reply = try await client.command("COMMITMENT", "LIST", "LIMIT", "1", "AFTER", String(position))
        guard reply.page != nil else { throw TestEnvironmentError("COMMITMENT LIST AFTER: \(reply)") }
    }

    @Test func theBoardPagesWithoutSkippingOrRepeatingWhileCommitmentsAreMadeAndRedated() async throws {
        let today = try ISODate(parsing: "2025-06-01")
        try await TestServer.with(readModels: true, today: { today }) { server in
            try await server.withClient(token: server.adminToken) { (client) async throws in
                #expect(
                    try await client.command("ORG", "REGISTER", "cbo-one", "NAME", "One", "KIND", "cbo")["id"] != nil
                )
                // Equal due dates on purpose: the key breaks the tie, so the cursor must carry it.
                let dues = [
                    "2025-03-01", "2025-03-01", "2025-03-01", "2025-04-01", "2025-04-01", "2025-05-01", "2025-07-01",
                ]
                var listed: [String] = []
                var last: Int64 = 0
                for due in dues {
                    let made = try await ReadModelCommandTests.makeCommitment(client, due: due)
                    listed.append(made.id)
                    last = made.position
                }
                try await Self.boardApplied(client, last)
                var seen: [String] = []
                let pages = try await Self.pages(client, ["COMMITMENT", "LIST"], limit: 3) { page in
                    // Between pages: a commitment due before the cursor and one after it, and one not
                    // yet listed moved ahead of the cursor. None of it may show in this listing.
                    let early = try await ReadModelCommandTests.makeCommitment(client, due: "2025-01-15")
                    let late = try await ReadModelCommandTests.makeCommitment(client, due: "2025-12-01")
                    var position = max(early.position, late.position)
                    if page == 1, let unseen = Set(listed).subtracting(seen).first {
                        let redated = try await client.command(
                            "COMMITMENT",
                            "REDATE",
                            unseen,
                            "DUE_ON",
                            "2025-02-01",
                            "REASON",
                            "moved up"
                        )
                        position = try #require(Int64(redated["position"]?.text ?? ""), "\(redated)")
                    }
                    try await Self.boardApplied(client, position)
                }
                for page in pages { seen += page.compactMap { $0["id"]?.text } }
                #expect(pages.map(\.count) == [3, 3, 1])
                #expect(seen.count == Set(seen).count, "no row repeated: \(seen)")
                #expect(Set(seen) == Set(listed), "exactly the rows of the first page's moment")
                let dueDates = pages.flatMap { $0 }.compactMap { $0["due_on"]?.text }
                #expect(dueDates == dueDates.sorted(), "by due date across pages: \(dueDates)")

                let fresh = try await Self.pages(client, ["COMMITMENT", "LIST"], limit: 100)
                #expect(fresh.count == 1 && fresh[0].count == dues.count + 4, "a new listing sees the appends")

                let bad: [([String], String)] = [
                    (["COMMITMENT", "LIST", "LIMIT", "0"], "limit"),
                    (["CASE", "LIST", "LIMIT", "10001"], "limit"),
                    (["ACTIVITY", "LIST", "LIMIT", "many"], "limit"),
                    (["FOLLOWUP", "LIST", "CURSOR", "not-a-cursor"], "cursor"),
                    (["ORG", "LIST", "CURSOR", "MQ"], "cursor"),
                    (["COMMITMENT", "LIST", "CURSOR", Self.forgedCursor], "cursor"),
                ]
                for (command, field) in bad {
                    let reply = try await client.command(command)
                    #expect(reply.errorCode == "INVALID", "\(command): \(reply)")
                    #expect(reply.text?.hasPrefix("INVALID \(field):") == true, "\(command): \(reply)")
                }
                let noCases = try await client.command("CASE", "LIST", "CURSOR", "0", "AFTER", String(last))
                #expect(noCases.page?.cursor == "0" && noCases.page?.rows.isEmpty == true, "\(noCases)")
            }
        }
    }

    @Test func activitiesCasesFollowUpsAndOrganizationsPageToo() async throws {
        let today = try ISODate(parsing: "2025-06-01")
        try await TestServer.with(readModels: true, today: { today }) { server in
            try await server.withClient(token: server.adminToken) { (client) async throws in
                for slug in ["cbo-b", "cbo-d"] {
                    #expect(try await client.command("ORG", "REGISTER", slug, "NAME", slug, "KIND", "cbo")["id"] != nil)
                }
                var last: Int64 = 0
                var cases: [String] = []
                for title in ["one", "two", "three"] {
                    let opened = try await client.command("CASE", "OPEN", "TITLE", title, "LEAD_ORG", "cbo-b")
                    cases.append(try #require(opened["id"]?.text, "\(opened)"))
                }
                for day in ["2025-02-03", "2025-02-03", "2025-03-04", "2025-01-05", "2025-02-03"] {
                    let logged = try await client.command(
                        "ACTIVITY",
                        "LOG",
                        "ORG",
                        "cbo-b",
                        "KIND",
                        "canvass",
                        "ATTENDANCE",
                        "3",
                        "OCCURRED_ON",
                        day,
                        "COMMUNITY_AREA",
                        "25"
                    )
                    #expect(logged["id"] != nil, "\(logged)")
                }
                for due in ["2025-04-01", "2025-05-01"] {
                    let scheduled = try await client.command(
                        "FOLLOWUP",
                        "SCHEDULE",
                        "ABOUT",
                        "case-\(cases[0])",
                        "ASSIGNEE_ORG",
                        "cbo-b",
                        "DUE_ON",
                        due
                    )
                    last = try #require(Int64(scheduled["position"]?.text ?? ""), "\(scheduled)")
                }
                let after = String(last)

                let activities = try await Self.pages(client, ["ACTIVITY", "LIST", "AFTER", after], limit: 2)
                #expect(activities.map(\.count) == [2, 2, 1])
                let days = activities.flatMap { $0 }.compactMap { $0["occurred_on"]?.text }
                #expect(days == days.sorted(by: >), "most recent first across pages: \(days)")
                #expect(Set(activities.flatMap { $0 }.compactMap { $0["id"]?.text }).count == 5)

                var betweenPages = (id: "", position: "")
                let caseIDs = try await Self.pages(client, ["CASE", "LIST", "AFTER", after], limit: 2) { _ in
                    let opened = try await client.command("CASE", "OPEN", "TITLE", "between pages", "LEAD_ORG", "cbo-b")
                    let position = try #require(opened["position"]?.text, "\(opened)")
                    betweenPages = (try #require(opened["id"]?.text, "\(opened)"), position)
                    let applied = try await client.command("CASE", "LIST", "LIMIT", "1", "AFTER", position)
                    #expect(applied.page != nil, "\(applied)")
                }
                .flatMap { $0 }.compactMap { $0["id"]?.text }
                #expect(caseIDs.count == 3 && Set(caseIDs) == Set(cases), "\(caseIDs)")

                let followUps = try await Self.pages(client, ["FOLLOWUP", "LIST", "OVERDUE", "AFTER", after], limit: 1)
                #expect(followUps.flatMap { $0 }.compactMap { $0["due_on"]?.text } == ["2025-04-01", "2025-05-01"])

                let organizations = try await Self.pages(client, ["ORG", "LIST"], limit: 1) { _ in
                    _ = try await client.command("ORG", "REGISTER", "cbo-a", "NAME", "a", "KIND", "cbo")
                    _ = try await client.command("ORG", "REGISTER", "cbo-c", "NAME", "c", "KIND", "cbo")
                }
                #expect(
                    organizations.flatMap { $0 }.compactMap { $0["stream"]?.text } == [
                        "org-cbo-b", "org-cbo-d",
                    ]
                )

                // redis-cli prints the cursor first, then the rows; the next page starts with 0.
                let cli = ["-p", String(server.port), "-a", server.adminToken, "--no-auth-warning"]
                let first = try await Subprocess.run(
                    "redis-cli",
                    cli + ["CASE", "LIST", "LIMIT", "2", "AFTER", betweenPages.position]
                )
                let cursor = try #require(first.split(separator: "\n").first.map(String.init), "\(first)")
                #expect(cursor != "0", "\(first)")
                let second = try await Subprocess.run(
                    "redis-cli",
                    cli + ["CASE", "LIST", "LIMIT", "2", "CURSOR", cursor]
                )
                #expect(second.hasPrefix("0\n"), "\(second)")
                for id in cases + [betweenPages.id] {
                    #expect(first.contains(id) != second.contains(id), "\(id) on exactly one page: \(first)\(second)")
                }
            }
        }
    }

    /// A well-formed cursor at a position the log has not reached.
    static let forgedCursor = ListCursor(
        position: 1_000_000,
        today: try! ISODate(parsing: "2025-06-01"),
        sortKey: "2025-01-01",
        key: "k"
    )
    .encoded
}
