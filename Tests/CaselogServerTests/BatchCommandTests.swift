import AdminProtocol
import CaselogTesting
import Foundation
import Testing

/// `MULTI` … `EXEC` over real TCP on a real PostgreSQL: all of a batch or nothing, across streams.
@Suite struct BatchCommandTests {
    static let caseID = "0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21"

    static func isError(_ reply: RESPValue) -> Bool {
        if case .error = reply { return true }
        return false
    }

    @Test func aBatchAcrossStreamsAppendsEveryCommandsEventsAndAnswersEachReply() async throws {
        try await TestServer.with { server in
            try await server.withClient(token: server.adminToken) { (client) async throws in
                let before = try #require(try await DomainCommandTests.head(client))
                #expect(try await client.command("MULTI") == .ok)
                let queued = [
                    ["ORG", "REGISTER", "cbo-one", "NAME", "Block Club", "KIND", "cbo"],
                    ["CASE", "OPEN", "ID", Self.caseID, "TITLE", "Co-responders", "LEAD_ORG", "cbo-one"],
                    ["CASE", "NOTE", Self.caseID, "NOTE", "met the alderman", "EXPECT", "0"],
                    ["STREAM", "APPEND", "note-batch", "no-stream", #"{"type":"NoteTaken","data":{"title":"t"}}"#],
                ]
                for command in queued {
                    #expect(try await client.command(command) == .simpleString("QUEUED"))
                }
                let replies = try await client.command("EXEC")
                guard case .array(let items) = replies else { Issue.record("\(replies)"); return }
                #expect(items.count == 4)
                #expect(items[0]["stream"]?.text == "org-cbo-one")
                #expect(items[1]["stream"]?.text == "case-\(Self.caseID)" && items[1]["version"] == .integer(0))
                #expect(items[2]["version"] == .integer(1) && items[2]["position"] == .integer(before + 3))
                #expect(items[3]["positions"] == .array([.integer(before + 4)]))
                #expect(try await DomainCommandTests.head(client) == before + 4)
                #expect(try await client.command("EXEC") == .error("ERR EXEC without MULTI"))
            }
        }
    }

    @Test func aRefusedCommandAppendsNothingOfTheBatchAndIsNamedByIndex() async throws {
        try await TestServer.with { server in
            try await server.withClient(token: server.adminToken) { (client) async throws in
                let before = try await DomainCommandTests.head(client)
                #expect(try await client.command("MULTI") == .ok)
                for command in [
                    ["ORG", "REGISTER", "cbo-one", "NAME", "Block Club", "KIND", "cbo"],
                    ["CASE", "NOTE", Self.caseID, "NOTE", "no such case"],
                    ["ORG", "REGISTER", "cbo-two", "NAME", "Other Club", "KIND", "cbo"],
                    ["ORG", "REGISTER", "cbo-one", "NAME", "Again", "KIND", "cbo"],
                ] {
                    #expect(try await client.command(command) == .simpleString("QUEUED"))
                }
                let replies = try await client.command("EXEC")
                guard case .array(let items) = replies, items.count == 4 else { Issue.record("\(replies)"); return }
                #expect(items[0] == .null && items[2] == .null)
                guard case .error(let first) = items[1], case .error(let second) = items[3] else {
                    Issue.record("\(items)")
                    return
                }
                #expect(first.hasPrefix("NOTFOUND index 1: "), "\(first)")
                #expect(second.hasPrefix("CONFLICT index 3: "), "\(second)")
                #expect(try await DomainCommandTests.head(client) == before, "nothing of the batch is in the log")
                #expect(Self.isError(try await client.command("ORG", "GET", "cbo-two")))
            }
        }
    }

    /// A raw append's event id stored with other content is found only when the batch is
    /// appended: the store refuses the whole batch, and EXEC names the append that gave the id.
    @Test func anEventIdReusedWithOtherContentRefusesTheBatchAtTheAppendThatGaveIt() async throws {
        try await TestServer.with { server in
            try await server.withClient(token: server.adminToken) { (client) async throws in
                let id = "6f1d3c2a-9b7e-4e0f-8a1d-2c3b4a5d6e7f"
                let event = { (title: String) in #"{"id":"\#(id)","type":"NoteTaken","data":{"title":"\#(title)"}}"# }
                #expect(
                    try await client.command("STREAM", "APPEND", "note-first", "any", event("first")).errorCode == nil
                )
                let before = try await DomainCommandTests.head(client)
                #expect(try await client.command("MULTI") == .ok)
                _ = try await client.command("ORG", "REGISTER", "cbo-one", "NAME", "Block Club", "KIND", "cbo")
                _ = try await client.command("STREAM", "APPEND", "note-second", "no-stream", event("other"))
                let replies = try await client.command("EXEC")
                guard case .array(let items) = replies, items.count == 2 else { Issue.record("\(replies)"); return }
                #expect(items[0] == .null)
                #expect(items[1].text?.hasPrefix("CONFLICT index 1: stream note-second: ") == true, "\(items)")
                #expect(try await DomainCommandTests.head(client) == before)
            }
        }
    }

    @Test func aSyntaxErrorAnswersAtOnceAndExecAbortsAsInRedis() async throws {
        try await TestServer.with { server in
            try await server.withClient(token: server.adminToken) { (client) async throws in
                let before = try await DomainCommandTests.head(client)
                #expect(try await client.command("MULTI") == .ok)
                #expect(
                    try await client.command("ORG", "REGISTER", "cbo-one", "NAME", "Block Club", "KIND", "cbo")
                        == .simpleString("QUEUED")
                )
                #expect(
                    Self.isError(try await client.command("ORG", "REGISTER", "cbo-two", "NAME", "x", "KIND", "bakery"))
                )
                #expect(Self.isError(try await client.command("LOG", "HEAD")), "reads are not queued")
                #expect(
                    try await client.command("EXEC")
                        == .error("EXECABORT Transaction discarded because of previous errors.")
                )
                #expect(try await DomainCommandTests.head(client) == before)
            }
        }
    }

    @Test func execCheckDecidesEveryCommandAndAppendsNothing() async throws {
        try await TestServer.with { server in
            try await server.withClient(token: server.adminToken) { (client) async throws in
                let before = try await DomainCommandTests.head(client)
                let register = ["ORG", "REGISTER", "cbo-one", "NAME", "Block Club", "KIND", "cbo"]
                #expect(try await client.command("MULTI") == .ok)
                #expect(try await client.command(register) == .simpleString("QUEUED"))
                #expect(Self.isError(try await client.command("EXEC", "LATER")), "only CHECK")
                let checked = try await client.command("EXEC", "CHECK")
                guard case .array(let items) = checked, items.count == 1 else { Issue.record("\(checked)"); return }
                #expect(items[0]["stream"]?.text == "org-cbo-one" && items[0]["position"] == .null)
                #expect(try await DomainCommandTests.head(client) == before)
                #expect(try await client.command("EXEC") == .error("ERR EXEC without MULTI"))

                _ = try await client.command(register)
                #expect(try await client.command("MULTI") == .ok)
                _ = try await client.command(register)
                let refused = try await client.command("EXEC", "CHECK")
                #expect(refused.errorCode == nil)
                guard case .array(let again) = refused else { Issue.record("\(refused)"); return }
                #expect(again.first?.errorCode == "CONFLICT", "\(again)")
            }
        }
    }

    /// The README's `MULTI` example, piped into redis-cli, runs as shown (port aside).
    @Test func theReadmesBatchExampleRunsAsShown() async throws {
        let readme = try String(contentsOf: ReadmeExamplesTests.readme, encoding: .utf8)
        let example = try #require(
            readme.split(separator: "\n").first { $0.hasPrefix("printf 'AUTH %s\\nMULTI") },
            "the README shows a MULTI example"
        )
        try await TestServer.with { server in
            let command = example.replacingOccurrences(of: " -p 7379", with: " -p \(server.port)")
            let output = try await Subprocess.run("env", ["TOKEN=\(server.adminToken)", "sh", "-c", command])
            let lines = output.split(separator: "\n")
            #expect(lines.prefix(4) == ["OK", "OK", "QUEUED", "QUEUED"], "\(output)")
            #expect(lines.contains("org-cbo-9") && lines.filter { $0.hasPrefix("case-") }.count == 1, "\(output)")
            #expect(!lines.contains { ReadmeExamplesTests.errorCodes.contains($0.prefix { $0 != " " }) }, "\(output)")
        }
    }

    /// redis-py's transactional pipeline sends MULTI, the commands and EXEC in one write and
    /// reads the replies back: it works unmodified, and raises the refused command's error.
    @Test func thePythonRedisLibrarysTransactionalPipelineWorks() async throws {
        try await TestServer.with { server in
            let script = """
                import sys, redis
                port, token = int(sys.argv[1]), sys.argv[2]
                for protocol in (2, 3):
                    r = redis.Redis(port=port, password=token, protocol=protocol, decode_responses=True, socket_timeout=30)
                    slug = f"cbo-py{protocol}"
                    with r.pipeline(transaction=True) as pipe:
                        pipe.execute_command("ORG", "REGISTER", slug, "NAME", "Block Club", "KIND", "cbo")
                        pipe.execute_command("STREAM", "APPEND", f"note-py{protocol}", "no-stream", '{"type":"NoteTaken","data":{}}')
                        replies = pipe.execute()
                    print(protocol, len(replies), type(replies[0]).__name__)
                    try:
                        with r.pipeline(transaction=True) as pipe:
                            pipe.execute_command("ORG", "REGISTER", f"cbo-new{protocol}", "NAME", "New", "KIND", "cbo")
                            pipe.execute_command("ORG", "REGISTER", slug, "NAME", "Again", "KIND", "cbo")
                            pipe.execute()
                    except redis.exceptions.ResponseError as error:
                        print(protocol, "refused", str(error).split(" of pipeline")[0], "CONFLICT index 1:" in str(error))
                    info = r.execute_command("STREAM", "INFO", f"org-cbo-new{protocol}")
                    print(protocol, info[3] if isinstance(info, list) else info["version"])
                """
            let output = try await Subprocess.run("python3", ["-c", script, String(server.port), server.adminToken])
            #expect(
                output
                    == "2 2 list\n2 refused Command # 2 (ORG REGISTER cbo-py2 NAME Again KIND cbo) True\n2 -1\n"
                    + "3 2 dict\n3 refused Command # 2 (ORG REGISTER cbo-py3 NAME Again KIND cbo) True\n3 -1\n",
                "\(output)"
            )
        }
    }
}
