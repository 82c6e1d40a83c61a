import AdminProtocol
import CaselogTesting
import Domain
import Testing

/// `HELP` and the reference data over real TCP, and neighbourhood names and languages as
/// `ACTIVITY LOG` takes them.
@Suite struct ReferenceCommandTests {
    @Test func helpAndTheReferenceListsAnswerBeforeAuthentication() async throws {
        try await TestServer.with { server in
            try await server.withClient { client in
                guard case .array(let help) = try await client.command("HELP") else {
                    Issue.record("HELP should answer lines")
                    return
                }
                let lines = help.compactMap(\.text)
                #expect(lines.contains { $0.hasPrefix("COMMITMENT ") && $0.contains("MAKE") && $0.contains("LIST") })
                #expect(lines.contains { $0.hasPrefix("AREA LIST") })
                #expect(lines.contains("PING [message]"))

                guard case .array(let areas) = try await client.command("AREA", "LIST") else {
                    Issue.record("AREA LIST should answer rows")
                    return
                }
                #expect(areas.count == 77)
                #expect(areas[30]["number"] == .integer(31))
                #expect(areas[30]["name"]?.text == "Lower West Side")
                #expect(areas[30]["neighbourhoods"] == .array([.bulk("Heart of Chicago"), .bulk("Pilsen")]))

                guard case .array(let districts) = try await client.command("DISTRICT", "LIST") else {
                    Issue.record("DISTRICT LIST should answer rows")
                    return
                }
                #expect(districts.count == 22)
                #expect(districts.last?["number"] == .integer(25))

                #expect(try await client.command("KIND", "LIST") == .bulkArray(ActivityKind.allCases.map(\.rawValue)))
                guard case .array(let languages) = try await client.command("LANGUAGE", "LIST") else {
                    Issue.record("LANGUAGE LIST should answer rows")
                    return
                }
                #expect(languages.contains { $0["code"]?.text == "es" && $0["name"]?.text == "Spanish" })
            }
        }
    }

    @Test func neighbourhoodNamesAndLanguageNamesAreStoredAsTheirAreaAndCode() async throws {
        try await TestServer.with { server in
            try await server.withClient(token: server.adminToken) { client in
                _ = try await client.command("ORG", "REGISTER", "cbo-one", "NAME", "One", "KIND", "cbo")
                let logged = try await client.command(
                    "ACTIVITY",
                    "LOG",
                    "ORG",
                    "cbo-one",
                    "KIND",
                    "canvass",
                    "ATTENDANCE",
                    "12",
                    "OCCURRED_ON",
                    "2025-05-01",
                    "COMMUNITY_AREA",
                    "pilsen",
                    "LANGUAGES",
                    "Spanish,en,ES"
                )
                let id = try #require(logged["id"]?.text, "ACTIVITY LOG failed: \(logged)")
                let activity = try await client.command("ACTIVITY", "GET", id)
                #expect(activity["community_area"]?.text == "31 Lower West Side")
                #expect(activity["languages"] == .array([.bulk("es"), .bulk("en")]))
            }
        }
    }

    @Test(arguments: [
        (
            "COMMUNITY_AREA", "Back of the Yards",
            "INVALID community_area: 'Back of the Yards' spans community areas 37 Fuller Park, 61 New City; give one of them"
        ),
        (
            "LANGUAGES", "en,Klingon",
            "INVALID languages: 'Klingon' is not a known language; LANGUAGE LIST shows the codes and names"
        ),
    ])
    func anAmbiguousNeighbourhoodOrUnknownLanguageIsRefusedAndNothingAppended(
        field: String,
        value: String,
        error: String
    ) async throws {
        try await TestServer.with { server in
            try await server.withClient(token: server.adminToken) { client in
                _ = try await client.command("ORG", "REGISTER", "cbo-one", "NAME", "One", "KIND", "cbo")
                let head = try await client.command("LOG", "HEAD")
                let reply = try await client.command(
                    "ACTIVITY",
                    "LOG",
                    "ORG",
                    "cbo-one",
                    "KIND",
                    "canvass",
                    "ATTENDANCE",
                    "12",
                    field,
                    value
                )
                #expect(reply == .error(error))
                #expect(try await client.command("LOG", "HEAD") == head, "nothing appended")
                #expect(try await client.command("PING") == .pong, "the connection keeps serving")
            }
        }
    }
}
