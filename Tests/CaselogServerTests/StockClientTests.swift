import CaselogTesting
import Foundation
import Testing

/// Clients no one here wrote: redis-cli (Debian's redis-tools) and the `redis` package from PyPI.
@Suite struct StockClientTests {
    @Test func redisCLIConnectsAuthenticatesAndRunsCommands() async throws {
        try await TestServer.with { server in
            let port = String(server.port)
            #expect(try await Subprocess.run("redis-cli", ["-p", port, "PING"]) == "PONG\n")
            let head = try await Subprocess.run(
                "redis-cli",
                ["-p", port, "-a", server.adminToken, "--no-auth-warning", "LOG", "HEAD"]
            )
            #expect(head.hasPrefix("position\n2\nhash\n"))
            let event = #"{"type":"NoteTaken","data":{"title":"from redis-cli"}}"#
            let appended = try await Subprocess.run(
                "redis-cli",
                [
                    "-p", port, "--user", "admin", "--pass", server.adminToken, "--no-auth-warning", "STREAM", "APPEND",
                    "note-cli", "no-stream", event,
                ]
            )
            #expect(appended.contains("positions\n3\n"))
            let piped = try await Subprocess.run(
                "redis-cli",
                ["-p", port],
                input: "AUTH \(server.adminToken)\nSTREAM INFO note-cli\nNOSUCH thing\nECHO \"still serving\"\n"
            )
            #expect(piped.contains("OK\nstream\nnote-cli\nversion\n0\n"))
            #expect(piped.contains("ERR unknown command 'nosuch'"))
            #expect(piped.hasSuffix("still serving\n"))
        }
    }

    @Test func thePythonRedisLibraryWorksInRESP2AndRESP3() async throws {
        try await TestServer.with { server in
            let script = """
                import sys, redis
                port, token = int(sys.argv[1]), sys.argv[2]
                for protocol in (2, 3):
                    r = redis.Redis(port=port, password=token, protocol=protocol, decode_responses=True, socket_timeout=30)
                    assert r.ping() is True
                    stream = f"note-py{protocol}"
                    appended = r.execute_command("STREAM", "APPEND", stream, "no-stream", '{"type":"NoteTaken","data":{"p":%d}}' % protocol)
                    events = r.execute_command("STREAM", "READ", stream)
                    print(protocol, type(appended).__name__, len(events))
                try:
                    redis.Redis(port=port, protocol=2).execute_command("LOG", "HEAD")
                except redis.exceptions.RedisError as error:
                    print("refused", type(error).__name__, str(error))
                """
            let output = try await Subprocess.run("python3", ["-c", script, String(server.port), server.adminToken])
            #expect(
                output.hasPrefix("2 list 1\n3 dict 1\nrefused AuthenticationError authentication required"),
                "\(output)"
            )
        }
    }

    @Test func redisCLISubscribesToTheLogAndPrintsEventsAsTheyCommit() async throws {
        try await TestServer.with { server in
            let subscriber = try RunningProcess(
                "redis-cli",
                [
                    "-p", String(server.port), "-a", server.adminToken, "--no-auth-warning", "SUBSCRIBE", "log@1",
                    "stream:note-cli-sub",
                ]
            )
            defer { subscriber.terminate() }
            var lines = await subscriber.readLines { $0 == "stream:note-cli-sub" }
            lines += await subscriber.readLines { $0 == "2" }
            #expect(lines == ["subscribe", "log@1", "1", "subscribe", "stream:note-cli-sub", "2"])
            try await server.withClient(token: server.adminToken) { (writer) async throws in
                let event = #"{"type":"NoteTaken","data":{"title":"seen by redis-cli"}}"#
                _ = try await writer.command("STREAM", "APPEND", "note-cli-sub", "no-stream", event)
            }
            var messages = 0
            lines = await subscriber.readLines { line in
                if line.hasPrefix("{") { messages += 1 }
                return messages == 3
            }
            var seen: [String] = []
            for (index, line) in lines.enumerated() where line.hasPrefix("{") && index > 0 {
                let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                seen.append("\(lines[index - 1]) \(event["position"] ?? "") \(event["stream"] ?? "")")
            }
            #expect(
                seen.sorted() == ["log@1 2 user-admin", "log@1 3 note-cli-sub", "stream:note-cli-sub 3 note-cli-sub"]
            )
            #expect(lines.filter { $0 == "message" }.count == 3, "\(lines)")
        }
    }

    @Test func thePythonRedisLibrarysPubSubGetsEventsInRESP2AndRESP3() async throws {
        try await TestServer.with { server in
            let script = """
                import sys, json, redis
                port, token = int(sys.argv[1]), sys.argv[2]
                for protocol in (2, 3):
                    r = redis.Redis(port=port, password=token, protocol=protocol, decode_responses=True, socket_timeout=30)
                    p = r.pubsub()
                    stream = f"note-pubsub{protocol}"
                    p.subscribe(f"stream:{stream}", "log")
                    confirmations = [p.get_message(timeout=10) for _ in range(2)]
                    print(protocol, [(m["type"], m["channel"], m["data"]) for m in confirmations])
                    r.execute_command("STREAM", "APPEND", "note-elsewhere", "any", '{"type":"NoteTaken","data":{}}')
                    r.execute_command("STREAM", "APPEND", stream, "no-stream", '{"type":"NoteTaken","data":{"p":%d}}' % protocol)
                    messages = [p.get_message(timeout=10) for _ in range(3)]
                    events = sorted((m["type"], m["channel"], json.loads(m["data"])["stream"]) for m in messages)
                    print(protocol, events, json.loads(messages[-1]["data"])["type"])
                    if protocol == 2:  # RESP3 answers +PONG, as Redis does
                        p.ping()
                        print(protocol, p.get_message(timeout=10)["type"])
                    p.unsubscribe()
                    print(protocol, sorted((m["type"], m["channel"]) for m in (p.get_message(timeout=10) for _ in range(2))))
                    p.close()
                """
            let output = try await Subprocess.run("python3", ["-c", script, String(server.port), server.adminToken])
            for version in [2, 3] {
                let lines = [
                    "\(version) [('subscribe', 'stream:note-pubsub\(version)', 1), ('subscribe', 'log', 2)]",
                    "\(version) [('message', 'log', 'note-elsewhere'), ('message', 'log', 'note-pubsub\(version)'), "
                        + "('message', 'stream:note-pubsub\(version)', 'note-pubsub\(version)')] NoteTaken",
                    version == 2 ? "2 pong" : nil,
                    "\(version) [('unsubscribe', 'log'), ('unsubscribe', 'stream:note-pubsub\(version)')]",
                ]
                #expect(output.contains(lines.compactMap { $0 }.joined(separator: "\n") + "\n"), "\(output)")
            }
        }
    }
}
