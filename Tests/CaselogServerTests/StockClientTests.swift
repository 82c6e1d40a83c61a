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
}
