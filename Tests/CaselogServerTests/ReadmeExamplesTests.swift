import CaselogTesting
import Foundation
import Testing

/// The README's `redis-cli` examples run as shown (port aside) against a server with the
/// projections and the demo history, and none answers an error.
@Suite struct ReadmeExamplesTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md")

    /// The error codes a reply may start with (the README's list, and Redis' own NOPROTO).
    static let errorCodes: Set<Substring> = [
        "ERR", "PROTO", "NOAUTH", "NOPERM", "INVALID", "NOTFOUND", "WRONGVERSION", "CONFLICT", "TOOLARGE",
        "UNAVAILABLE", "NOPROTO",
    ]

    /// What the answers of some examples hold, as the README says they do.
    static let claims: [(example: String, answer: String)] = [
        ("LOG HEAD", "position"), ("STREAM APPEND", "positions"), ("STREAM HELP", "STREAM APPEND"),
        ("COMMITMENT MAKE", "position"), ("ACTIVITY STATS BY area", "sessions"),
    ]

    /// Every line starting with `redis-cli` inside the README's ```sh blocks, but `SUBSCRIBE`,
    /// which listens until stopped (SubscribeTests runs it with redis-cli).
    static func examples() throws -> [String] {
        var examples: [String] = []
        var inShellBlock = false
        for line in try String(contentsOf: readme, encoding: .utf8).split(
            separator: "\n",
            omittingEmptySubsequences: false
        ) {
            if line.hasPrefix("```") {
                inShellBlock = !inShellBlock && line == "```sh"
            } else if inShellBlock, line.hasPrefix("redis-cli "), !line.contains(" SUBSCRIBE ") {
                examples.append(String(line))
            }
        }
        return examples
    }

    @Test func everyRedisCliExampleRunsAsShownWithoutAnError() async throws {
        let examples = try Self.examples()
        #expect(examples.count >= 7, "\(examples)")
        guard let binary = ProcessInfo.processInfo.environment["CASELOG_BIN"] else {
            throw TestEnvironmentError("CASELOG_BIN is not set: run the tests with scripts/test.sh")
        }
        try await TestServer.with(readModels: true) { server in
            let demo = try await Subprocess.run(
                binary,
                ["demo", "--database-url", server.database.url, "--log-level", "error", "--concurrency", "2"]
            )
            #expect(demo.contains("refusals: 0"), "\(demo)")
            try await server.database.waitUntilProjectionsApplied(through: try await server.store.head().position)
            for example in examples {
                let command = example.replacingOccurrences(of: " -p 7379 ", with: " -p \(server.port) ")
                #expect(command != example, "the example names the default port: \(example)")
                let output = try await Subprocess.run(
                    "env",
                    ["TOKEN=\(server.adminToken)", "sh", "-c", command]
                )
                #expect(!output.isEmpty, "\(example)")
                let errors = output.split(separator: "\n").filter { line in
                    line.split(separator: " ").first.map { Self.errorCodes.contains($0) } ?? false
                }
                #expect(errors.isEmpty, "\(example): \(output)")
                for claim in Self.claims where example.contains(claim.example) {
                    #expect(output.contains(claim.answer), "\(example): \(output)")
                }
            }
        }
    }
}
