import AdminProtocol
import CaselogTesting
import Foundation
import Testing

/// The case-tracking commands over real TCP: decisions reach the log with their metadata,
/// refusals append nothing, optimistic and automatic concurrency both keep every change.
@Suite struct DomainCommandTests {
    /// Registers `cbo-one` and `cbo-two` as the admin.
    static func registerOrganizations(_ server: TestServer) async throws {
        try await server.withClient(token: server.adminToken) { (admin) async throws in
            for slug in ["cbo-one", "cbo-two"] {
                let reply = try await admin.command(
                    "ORG",
                    "REGISTER",
                    slug,
                    "NAME",
                    "\(slug) (placeholder)",
                    "KIND",
                    "cbo"
                )
                #expect(reply["stream"]?.text == "org-\(slug)", "\(reply)")
            }
        }
    }

    /// Makes a commitment to residents, made 2025-01-10 and due 2025-06-01; returns its id.
    static func makeCommitment(_ client: RESPTestClient, text: String, fields: [String] = []) async throws -> String {
        let made = try await client.command(
            [
                "COMMITMENT", "MAKE", "TEXT", text, "MADE_TO", "residents", "MADE_ON", "2025-01-10", "DUE_ON",
                "2025-06-01",
            ]
                + fields
        )
        return try #require(made["id"]?.text, "\(made)")
    }

    static func head(_ client: RESPTestClient) async throws -> Int64? {
        guard case .integer(let position) = try await client.command("LOG", "HEAD")["position"] else { return nil }
        return position
    }

    @Test func aCoordinatorsCommandsReachTheLogWithTheirMetadata() async throws {
        try await TestServer.with { server in
            try await Self.registerOrganizations(server)
            let cora = try await server.token(for: "cora", role: .coordinator, organization: "cbo-one")
            let commitment = try await server.withClient(token: cora) { (client) async throws in
                #expect(try await client.command("CLIENT", "SETNAME", "intake-laptop") == .ok)
                #expect(try await client.command("CORRELATE", "meeting-2025-01-10") == .ok)
                let opened = try await client.command(
                    "CASE",
                    "OPEN",
                    "TITLE",
                    "Alternate response in Austin",
                    "COMMUNITY_AREAS",
                    "austin,O'Hare",
                    "THEMES",
                    "alternate-response"
                )
                let caseID = try #require(opened["id"]?.text, "\(opened)")
                let made = try await client.command(
                    "COMMITMENT",
                    "MAKE",
                    "TEXT",
                    "Publish the session findings",
                    "MADE_TO",
                    "Austin residents",
                    "MADE_ON",
                    "2025-01-10",
                    "DUE_ON",
                    "2025-03-01",
                    "CASE_ID",
                    caseID
                )
                #expect(made["version"] == .integer(0), "\(made)")
                let id = try #require(made["id"]?.text)
                let progressed = try await client.command("COMMITMENT", "PROGRESS", id, "LEVEL", "substantial")
                #expect(progressed["version"] == .integer(1), "\(progressed)")

                let state = try await client.command("COMMITMENT", "GET", id)
                #expect(state["status"]?.text == "open")
                #expect(state["owner_org"]?.text == "cbo-one", "a coordinator's own organization by default")
                #expect(state["completion"]?.text == "substantial" || state["level"]?.text == "substantial", "\(state)")
                #expect(state["last_position"] == progressed["position"])
                let caseState = try await client.command("CASE", "GET", caseID)
                guard case .array(let areas) = caseState["community_areas"] else {
                    Issue.record("community_areas: \(caseState)")
                    return id
                }
                #expect(areas.map(\.text) == ["25 Austin", "76 O'Hare"], "areas matched by name, stored canonically")
                return id
            }
            try await server.withClient(token: server.adminToken) { (admin) async throws in
                let events = try await admin.command("STREAM", "READ", "commitment-\(commitment)")
                guard case .array(let recorded) = events, recorded.count == 2 else {
                    Issue.record("two events expected: \(events)")
                    return
                }
                #expect(recorded.map { $0["type"]?.text } == ["CommitmentMade", "CommitmentProgressed"])
                let metadata = try #require(recorded[1]["metadata"]?.text)
                let object = try #require(
                    try JSONSerialization.jsonObject(with: Data(metadata.utf8)) as? [String: Any]
                )
                #expect(object["actor"] as? String == "cora")
                #expect(object["org"] as? String == "cbo-one")
                #expect(object["role"] as? String == "coordinator")
                #expect(object["client"] as? String == "intake-laptop")
                #expect(object["correlation_id"] as? String == "meeting-2025-01-10")
                #expect((object["causation_id"] as? String)?.isEmpty == false)
                #expect(object["server_time"] is String)
            }
        }
    }

    /// A coordinator bound to an organization that does not exist, or is retired, could write nothing.
    @Test func aCoordinatorIsAddedOnlyForAnActiveOrganization() async throws {
        try await TestServer.with { server in
            try await server.withClient(token: server.adminToken) { (admin) async throws in
                let missing = try await admin.command("USER", "ADD", "cora", "ROLE", "coordinator", "ORG", "cbo-one")
                #expect(missing.errorCode == "INVALID", "\(missing)")
                #expect(missing.text?.contains("org: organization cbo-one does not exist") == true, "\(missing)")
                let malformed = try await admin.command("USER", "ADD", "cora", "ROLE", "coordinator", "ORG", "cbo one")
                #expect(malformed.errorCode == "INVALID" && malformed.text?.contains("org:") == true, "\(malformed)")
                try await Self.registerOrganizations(server)
                #expect(
                    try await admin.command("ORG", "RETIRE", "cbo-two", "REASON", "merged")["version"] == .integer(1)
                )
                let retired = try await admin.command("USER", "ADD", "carl", "ROLE", "coordinator", "ORG", "cbo-two")
                #expect(retired.errorCode == "INVALID", "\(retired)")
                #expect(retired.text?.contains("org: organization cbo-two is retired") == true, "\(retired)")
                let added = try await admin.command("USER", "ADD", "cora", "ROLE", "coordinator", "ORG", "cbo-one")
                #expect(added["token"] != nil, "\(added)")
                guard case .array(let users) = try await admin.command("USER", "LIST") else {
                    Issue.record("USER LIST is not a list")
                    return
                }
                #expect(users.compactMap { $0["user"]?.text }.sorted() == ["admin", "cora"], "nothing else was added")
            }
        }
    }

    @Test func refusedCommandsAppendNothing() async throws {
        try await TestServer.with { server in
            try await Self.registerOrganizations(server)
            let cora = try await server.token(for: "cora", role: .coordinator, organization: "cbo-one")
            let leader = try await server.token(for: "lee", role: .leadership)
            try await server.withClient(token: cora) { (client) async throws in
                let before = try await Self.head(client)
                let refusals: [([String], String, String)] = [
                    (
                        [
                            "COMMITMENT", "MAKE", "TEXT", "t", "MADE_TO", "r", "MADE_ON", "2025-02-01", "DUE_ON",
                            "2025-01-01",
                        ],
                        "INVALID", "due_on"
                    ),
                    (
                        [
                            "COMMITMENT", "MAKE", "OWNER_ORG", "cbo-two", "TEXT", "t", "MADE_TO", "r", "DUE_ON",
                            "2025-05-01",
                        ],
                        "NOPERM", "owner_org"
                    ),
                    (["ACTIVITY", "LOG", "KIND", "listening-session", "ATTENDANCE", "-3"], "INVALID", "attendance"),
                    (
                        ["ACTIVITY", "LOG", "KIND", "survey", "ATTENDANCE", "3", "COMMUNITY_AREA", "Atlantis"],
                        "INVALID", "community_area"
                    ),
                    (
                        ["ACTIVITY", "LOG", "KIND", "survey", "ATTENDANCE", "3", "POLICE_DISTRICT", "13"],
                        "INVALID", "police_district"
                    ),
                    (
                        ["COMMITMENT", "PROGRESS", UUID().uuidString.lowercased(), "LEVEL", "complete"], "NOTFOUND",
                        "commitment"
                    ),
                    (["CASE", "OPEN", "TITLE", "x", "COLOR", "blue"], "INVALID", "color"),
                ]
                for (command, code, field) in refusals {
                    let reply = try await client.command(command)
                    #expect(reply.errorCode == code, "\(command): \(reply)")
                    #expect(reply.text?.contains(field) == true, "\(command): \(reply)")
                }
                #expect(try await client.command("CORRELATE", "two words").errorCode == "INVALID")
                #expect(try await Self.head(client) == before, "nothing was appended")
                #expect(try await client.command("PING") == .pong)
            }
            try await server.withClient(token: leader) { (client) async throws in
                let reply = try await client.command("CASE", "OPEN", "TITLE", "x", "LEAD_ORG", "cbo-one")
                #expect(reply.errorCode == "NOPERM", "\(reply)")
            }
        }
    }

    @Test func aRetiredOrganizationTakesNoNewCommitments() async throws {
        try await TestServer.with { server in
            try await Self.registerOrganizations(server)
            try await server.withClient(token: server.adminToken) { (admin) async throws in
                #expect(
                    try await admin.command("ORG", "RETIRE", "cbo-two", "REASON", "merged")["version"] == .integer(1)
                )
                let reply = try await admin.command(
                    "COMMITMENT",
                    "MAKE",
                    "OWNER_ORG",
                    "cbo-two",
                    "TEXT",
                    "t",
                    "MADE_TO",
                    "r",
                    "DUE_ON",
                    "2025-05-01",
                    "MADE_ON",
                    "2025-01-01"
                )
                #expect(reply.errorCode == "INVALID" && reply.text?.contains("retired") == true, "\(reply)")
                let organizations = try await admin.command("ORG", "LIST")
                guard let (_, rows) = organizations.page else {
                    Issue.record("ORG LIST: \(organizations)")
                    return
                }
                #expect(rows.map { $0["status"]?.text } == ["active", "retired"])
            }
        }
    }

    @Test func expectedVersionsGiveOptimisticConcurrency() async throws {
        try await TestServer.with { server in
            try await Self.registerOrganizations(server)
            try await server.withClient(token: server.adminToken) { (admin) async throws in
                let stale = try await admin.command("ORG", "RENAME", "cbo-one", "NAME", "New name", "EXPECT", "3")
                #expect(stale.errorCode == "WRONGVERSION" && stale.text?.contains("actual 0") == true, "\(stale)")
                let renamed = try await admin.command("ORG", "RENAME", "cbo-one", "NAME", "New name", "EXPECT", "0")
                #expect(renamed["version"] == .integer(1), "\(renamed)")
                #expect(try await admin.command("ORG", "GET", "cbo-one")["name"]?.text == "New name")
            }
        }
    }

    /// The server keeps recently written histories; an event appended around it (here a raw
    /// `STREAM APPEND`, as another server process would) still counts in the next decision.
    @Test func decisionsSeeEventsAppendedBesideTheServersCache() async throws {
        try await TestServer.with { server in
            try await Self.registerOrganizations(server)
            try await server.withClient(token: server.adminToken) { (admin) async throws in
                let id = try await Self.makeCommitment(
                    admin,
                    text: "Publish the notes",
                    fields: ["OWNER_ORG", "cbo-one"]
                )
                let progressed = try await admin.command("COMMITMENT", "PROGRESS", id, "LEVEL", "limited")
                #expect(progressed["version"] == .integer(1), "\(progressed)")

                let cancelled = try await admin.command(
                    "STREAM",
                    "APPEND",
                    "commitment-\(id)",
                    "1",
                    #"{"type":"CommitmentCancelled","data":{"schema":1,"reason":"withdrawn elsewhere"}}"#
                )
                #expect(cancelled.errorCode == nil, "\(cancelled)")

                let stale = try await admin.command("COMMITMENT", "PROGRESS", id, "LEVEL", "substantial", "EXPECT", "1")
                #expect(stale.errorCode == "WRONGVERSION" && stale.text?.contains("actual 2") == true, "\(stale)")
                let refused = try await admin.command("COMMITMENT", "PROGRESS", id, "LEVEL", "substantial")
                #expect(refused.errorCode == "INVALID" && refused.text?.contains("cancelled") == true, "\(refused)")
                let reopened = try await admin.command("COMMITMENT", "REOPEN", id, "REASON", "back on")
                #expect(reopened["version"] == .integer(3), "\(reopened)")
                let fulfilled = try await admin.command("COMMITMENT", "FULFIL", id, "EVIDENCE", "minutes posted")
                #expect(fulfilled["version"] == .integer(4), "\(fulfilled)")
            }
        }
    }

    /// Two coordinators progress one commitment at once, without EXPECT: the server decides
    /// again on a concurrent change, so every update is kept, each writer's in its order.
    @Test func concurrentProgressFromTwoCoordinatorsKeepsEveryChange() async throws {
        try await TestServer.with { server in
            try await Self.registerOrganizations(server)
            let tokens = [
                try await server.token(for: "cora", role: .coordinator, organization: "cbo-one"),
                try await server.token(for: "carl", role: .coordinator, organization: "cbo-one"),
            ]
            let id = try await server.withClient(token: tokens[0]) { (client) async throws in
                try await Self.makeCommitment(client, text: "Hold monthly meetings")
            }
            let rounds = 15
            let levels = ["limited", "substantial", "complete", "not-started"]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (writer, token) in tokens.enumerated() {
                    group.addTask {
                        try await server.withClient(token: token) { (client) async throws in
                            for round in 0..<rounds {
                                let reply = try await client.command(
                                    "COMMITMENT",
                                    "PROGRESS",
                                    id,
                                    "LEVEL",
                                    levels[(round + writer) % levels.count],
                                    "NOTE",
                                    "writer \(writer) round \(round)"
                                )
                                #expect(reply["version"] != nil, "\(reply)")
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            try await server.withClient(token: server.adminToken) { (admin) async throws in
                guard case .array(let events) = try await admin.command("STREAM", "READ", "commitment-\(id)") else {
                    Issue.record("STREAM READ failed")
                    return
                }
                #expect(events.count == 1 + 2 * rounds)
                for writer in 0..<2 {
                    let notes = events.compactMap { $0["data"]?.text }.filter { $0.contains("writer \(writer) ") }
                    let order = notes.compactMap { note in
                        note.range(of: "round ").map { Int(note[$0.upperBound...].prefix { $0.isNumber }) ?? -1 }
                    }
                    #expect(order == Array(0..<rounds), "writer \(writer)'s changes all kept, in order")
                }
            }
        }
    }
}
