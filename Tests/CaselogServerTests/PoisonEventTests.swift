import AdminProtocol
import CaselogTesting
import Domain
import EventLog
import EventStore
import Foundation
import Testing

/// An event the read models cannot apply: raw appends of domain events are checked by the
/// domain's own decoders, and one that still reaches the log (written by hand, an older version,
/// another tool) stops its projection visibly until an admin decides to skip it.
@Suite struct PoisonEventTests {
    @Test func rawAppendsOfDomainEventsAreReadByTheDomainFirst() async throws {
        try await TestServer.with { server in
            try await server.withClient(token: server.adminToken) { (admin) async throws in
                let readme = try await admin.command(
                    "STREAM",
                    "APPEND",
                    "case-1",
                    "no-stream",
                    #"{"type":"CaseOpened","data":{"title":"t"}}"#
                )
                #expect(readme.errorCode == "INVALID", "\(readme)")
                #expect(
                    readme.text?.contains("event 0.data.themes: is missing; CaseOpened needs it") == true,
                    "\(readme)"
                )
                let wrongType = try await admin.command(
                    "STREAM",
                    "APPEND",
                    "commitment-1",
                    "any",
                    #"{"type":"CommitmentMade","data":{"schema":2,"text":7}}"#
                )
                #expect(wrongType.errorCode == "INVALID", "\(wrongType)")
                #expect(wrongType.text?.contains("data.text:") == true, "\(wrongType)")
                let foreign = try await admin.command(
                    "STREAM",
                    "APPEND",
                    "case-1",
                    "any",
                    #"{"type":"NoteTaken","data":{}}"#
                )
                #expect(foreign.errorCode == "INVALID" && foreign.text?.contains("type:") == true, "\(foreign)")
                let misplaced = try await admin.command(
                    "STREAM",
                    "APPEND",
                    "note-1",
                    "any",
                    #"{"type":"CaseNoteAdded","data":{"note":"n"}}"#
                )
                #expect(misplaced.errorCode == "INVALID" && misplaced.text?.contains("stream:") == true, "\(misplaced)")
                let skipForged = try await admin.command(
                    "STREAM",
                    "APPEND",
                    "projection-cases",
                    "any",
                    #"{"type":"NoteTaken","data":{}}"#
                )
                #expect(skipForged.errorCode == "INVALID", "\(skipForged)")
                #expect(try await admin.command("LOG", "HEAD")["position"] == .integer(2), "nothing was appended")

                let free = try await admin.command(
                    "STREAM",
                    "APPEND",
                    "note-1",
                    "no-stream",
                    #"{"type":"NoteTaken","data":{"title":"t"}}"#
                )
                #expect(free["positions"] == .array([.integer(3)]), "other events stay free: \(free)")
                let valid = try await admin.command(
                    "STREAM",
                    "APPEND",
                    "case-1",
                    "no-stream",
                    #"{"type":"CaseOpened","data":{"title":"t","lead_org":"cbo-one","community_areas":[],"themes":[]}}"#
                )
                #expect(valid["positions"] == .array([.integer(4)]), "readable domain events are taken: \(valid)")
            }
        }
    }

    @Test func anUnreadableEventStopsItsProjectionUntilAnAdminSkipsItAndRebuildsHonourTheSkip() async throws {
        try await TestServer.with(readModels: true) { server in
            let leadership = try await server.token(for: "lee", role: .leadership)
            try await server.withClient(token: server.adminToken) { (admin) async throws in
                #expect(
                    try await admin.command("ORG", "REGISTER", "cbo-one", "NAME", "One", "KIND", "cbo")["id"] != nil
                )
                let first = try await admin.command("CASE", "OPEN", "TITLE", "Before", "LEAD_ORG", "cbo-one")
                #expect(first["id"] != nil, "\(first)")
                // Written around the protocol's checks, as an older version or another tool might have.
                let poison = try await server.store.append(
                    to: try StreamName("case-\(UUID().uuidString.lowercased())"),
                    events: [try NewEvent(type: "CaseOpened", data: #"{"title":"t"}"#)]
                ).positions[0]
                let second = try await admin.command("CASE", "OPEN", "TITLE", "After", "LEAD_ORG", "cbo-one")
                #expect(second["id"] != nil, "\(second)")

                var status = try await Self.status(of: "cases", admin) { $0["state"]?.text == "failed" }
                #expect(status["failed_position"] == .integer(poison), "\(status)")
                #expect(status["checkpoint"] == .integer(poison - 1), "stopped right before it: \(status)")
                #expect(status["error"]?.text?.contains("data.themes") == true, "\(status)")
                #expect(status["skipped"] == .array([]), "\(status)")

                try await server.withClient(token: leadership) { (lee) async throws in
                    let refused = try await lee.command("PROJECTION", "SKIP", "cases", String(poison), "REASON", "x")
                    #expect(refused.errorCode == "NOPERM", "\(refused)")
                }
                let badArguments: [([String], String, String)] = [
                    (["cases", "abc", "REASON", "r"], "INVALID", "position"),
                    (["cases", String(poison)], "INVALID", "reason"),
                    (["cases", String(poison), "REASON", ""], "INVALID", "reason"),
                    (["cases", String(poison), "BECAUSE", "r"], "INVALID", "because"),
                    (["nosuch", String(poison), "REASON", "r"], "NOTFOUND", "nosuch"),
                    (["cases", String(poison + 1), "REASON", "r"], "INVALID", "position"),
                ]
                for (arguments, code, named) in badArguments {
                    let reply = try await admin.command(["PROJECTION", "SKIP"] + arguments)
                    #expect(reply.errorCode == code && reply.text?.contains(named) == true, "\(arguments): \(reply)")
                }
                #expect(try await Self.status(of: "cases", admin)["state"]?.text == "failed", "still stopped")

                let reason = "hand-written CaseOpened without a lead organization"
                let skipped = try await admin.command("PROJECTION", "SKIP", "cases", String(poison), "REASON", reason)
                #expect(skipped["position"] != nil, "the decision is an event: \(skipped)")
                let head = try await server.store.head().position
                let listed = try await admin.command("CASE", "LIST", "AFTER", String(head))
                guard let rows = listed.page?.rows else {
                    Issue.record("CASE LIST: \(listed)")
                    return
                }
                #expect(rows.compactMap { $0["title"]?.text }.sorted() == ["After", "Before"], "\(listed)")
                status = try await Self.status(of: "cases", admin) { $0["state"]?.text == "running" }
                guard case .array(let skips) = status["skipped"], let skip = skips.first, skips.count == 1 else {
                    Issue.record("the skip is not listed: \(status)")
                    return
                }
                #expect(skip["position"] == .integer(poison))
                #expect(skip["reason"]?.text == reason)
                #expect(status["failed_position"] == .null)

                #expect(try await admin.command("PROJECTION", "REBUILD", "cases") == .ok)
                status = try await Self.status(of: "cases", admin) {
                    $0["rebuild_position"] == .null && $0["state"]?.text != "rebuilding"
                }
                #expect(status["state"]?.text == "running", "the rebuild passed the skipped event: \(status)")
                let rebuilt = try await admin.command("CASE", "LIST", "AFTER", String(head))
                #expect(rebuilt == listed, "the rebuilt model honours the skip")
            }
        }
    }

    /// `PROJECTION STATUS name`, asked again (up to 30 s) until `until` holds.
    static func status(
        of name: String,
        _ client: RESPTestClient,
        until condition: (RESPValue) -> Bool = { _ in true }
    ) async throws -> RESPValue {
        try await waitFor("projection \(name) reaches the expected state") {
            guard case .array(let rows) = try await client.command("PROJECTION", "STATUS", name),
                let row = rows.first, condition(row)
            else { return nil }
            return row
        }
    }
}
