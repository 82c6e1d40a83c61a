import CaselogServer
import CaselogTesting
import Foundation
import HTTPFace
import PostgresNIO
import Testing
import TransparencyLog

/// The log sending its checkpoints to witnesses on real sockets and publishing what a quorum cosigned.
@Suite struct WitnessFeederTests {
    /// Witnesses of the log `logKey` on free ports, in this process, each with its own key and
    /// state file in `directory`: their keys and URLs; stopped with graceful shutdown after `body`.
    static func withWitnesses<Result: Sendable>(
        _ count: Int,
        logKey: NoteVerifierKey,
        directory: URL,
        _ body: (_ witnesses: [WitnessEndpoint]) async throws -> Result
    ) async throws -> Result {
        try await LocalWitnesses.with(
            count,
            logKey: logKey,
            directory: directory,
            namePrefix: "caselog.test/witness",
            logger: TestDatabase.logger,
            body
        )
    }

    /// A witness that is down: nothing listens on port 1 of the loopback, so connecting is refused.
    static func downWitness() throws -> WitnessEndpoint {
        let key = try CosignatureSignerKey.generate(name: "caselog.test/witness-down").verifier
        return WitnessEndpoint(key: key, url: try #require(HTTPEndpoint(url: "http://127.0.0.1:1")))
    }

    /// The cosignature lines of `note` (a signed checkpoint with cosignatures) that are valid
    /// cosignatures by one of `witnesses`, by witness name.
    static func validCosigners(of note: String, witnesses: [WitnessEndpoint]) throws -> Set<String> {
        let body = try SignedNote(parsing: note).text
        return Set(
            witnesses.filter { $0.key.cosignatureLine(in: note, on: body) != nil }.map(\.key.name)
        )
    }

    @Test func aQuorumOfTwoOfThreeCosignsWhileOneWitnessIsDown() async throws {
        try await TransparencyLogTests.withKeyFile { path, key in
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try await Self.withWitnesses(2, logKey: key.verifier, directory: directory) { running in
                let witnesses = running + [try Self.downWitness()]
                let policy = try WitnessPolicy(witnesses: witnesses, quorum: 2)
                try await TestServer.with(logKeyFile: path, witnesses: policy) { server in
                    try await server.withClient(token: server.adminToken) { client in
                        let feeder = try #require(server.witnessFeeder)
                        try await TransparencyLogTests.append(5, on: client)
                        let (first, _) = try await TransparencyLogTests.checkpoint(of: server, client: client, key: key)
                        let cosigned = try #require(
                            await feeder.waitForCosigned(covering: first.size, timeout: .seconds(30))
                        )
                        #expect(try Checkpoint.open(cosigned, verifiedBy: key.verifier).size >= first.size)
                        #expect(
                            try Self.validCosigners(of: cosigned, witnesses: witnesses) == Set(running.map(\.key.name))
                        )
                        #expect(try await client.command("LOG", "CHECKPOINT", "COSIGNED").text == feeder.latestCosigned)

                        try await TransparencyLogTests.append(6, on: client)
                        let (second, _) = try await TransparencyLogTests.checkpoint(
                            of: server,
                            client: client,
                            key: key
                        )
                        let extended = try #require(
                            await feeder.waitForCosigned(covering: second.size, timeout: .seconds(30))
                        )
                        #expect(try Checkpoint.open(extended, verifiedBy: key.verifier).size == second.size)
                        #expect(try Self.validCosigners(of: extended, witnesses: witnesses).count == 2)
                    }
                }
            }
        }
    }

    @Test func aWitnessAheadAnswers409AndIsSentTheCheckpointAgainFromItsSize() async throws {
        try await TransparencyLogTests.withKeyFile { path, key in
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try await Self.withWitnesses(3, logKey: key.verifier, directory: directory) { witnesses in
                try await TestServer.with(logKeyFile: path) { server in
                    try await server.withClient(token: server.adminToken) { client in
                        let unavailable = try await client.command("LOG", "CHECKPOINT", "COSIGNED")
                        #expect(unavailable.errorCode == "UNAVAILABLE", "\(unavailable)")

                        try await TransparencyLogTests.append(5, on: client)
                        let (first, firstNote) = try await TransparencyLogTests.checkpoint(
                            of: server,
                            client: client,
                            key: key
                        )
                        let direct = try await HTTPClient.post(
                            Array(AddCheckpointRequest(oldSize: 0, proof: [], note: firstNote).body.utf8),
                            to: witnesses[0].url.appending("add-checkpoint")
                        )
                        #expect(direct.status == 200, "the first witness cosigned \(first.size) before the feeder runs")
                        try await TransparencyLogTests.append(6, on: client)
                        let (second, _) = try await TransparencyLogTests.checkpoint(
                            of: server,
                            client: client,
                            key: key
                        )

                        let feeder = WitnessFeeder(
                            policy: try WitnessPolicy(witnesses: witnesses),
                            store: server.store,
                            builder: try #require(server.treeBuilder),
                            logger: TestDatabase.logger
                        )
                        let feeding = Task { try await feeder.run() }
                        let waited = await feeder.waitForCosigned(covering: second.size, timeout: .seconds(30))
                        feeding.cancel()
                        try await feeding.value
                        let cosigned = try #require(
                            waited,
                            "all three cosign, the first after its 409 from \(first.size)"
                        )
                        #expect(try Self.validCosigners(of: cosigned, witnesses: witnesses).count == 3)
                        let state = try WitnessStateFile(
                            path: directory.appending(path: "witness-0.state").path
                        ).read()
                        #expect(state?.size == second.size)
                    }
                }
            }
        }
    }

    @Test func theCosignedCheckpointIsStoredAndAnsweredAfterARestartOnlyWhenItVerifies() async throws {
        try await TransparencyLogTests.withKeyFile { path, key in
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try await TestDatabase.with { database in
                let (policy, cosigned) = try await Self.withWitnesses(3, logKey: key.verifier, directory: directory) {
                    witnesses in
                    let policy = try WitnessPolicy(witnesses: witnesses)
                    let note = try await TestServer.with(database: database, logKeyFile: path, witnesses: policy) {
                        server in
                        try await server.withClient(token: server.adminToken) { client in
                            try await TransparencyLogTests.append(5, on: client)
                            let (checkpoint, _) = try await TransparencyLogTests.checkpoint(
                                of: server,
                                client: client,
                                key: key
                            )
                            let feeder = try #require(server.witnessFeeder)
                            return try #require(
                                await feeder.waitForCosigned(covering: checkpoint.size, timeout: .seconds(30))
                            )
                        }
                    }
                    return (policy, note)
                }
                let stored = try await database.client.query("SELECT note FROM log_cosigned_checkpoint").collect()
                #expect(try stored.map { try $0.decode(String.self) } == [cosigned])

                // The witnesses are gone: nothing is cosigned anew after the restart.
                try await TestServer.with(database: database, logKeyFile: path, witnesses: policy) { server in
                    try await server.withClient(token: server.adminToken) { client in
                        let reply = try await client.command("LOG", "CHECKPOINT", "COSIGNED")
                        #expect(reply.text == cosigned, "\(reply)")
                    }
                }

                // Under a policy whose witnesses did not cosign it, the stored note is not answered.
                let strangers = try WitnessPolicy(witnesses: (0..<3).map { _ in try Self.downWitness() })
                try await TestServer.with(database: database, logKeyFile: path, witnesses: strangers) { server in
                    try await server.withClient(token: server.adminToken) { client in
                        let reply = try await client.command("LOG", "CHECKPOINT", "COSIGNED")
                        #expect(reply.errorCode == "UNAVAILABLE", "\(reply)")
                    }
                }
            }
        }
    }

    @Test func readsTheWitnessesAndTheQuorumFromTheEnvironmentAndNamesWhatIsWrong() throws {
        let first = try CosignatureSignerKey.generate(name: "caselog.test/a").verifier
        let second = try CosignatureSignerKey.generate(name: "caselog.test/b").verifier
        let list = "\(first.text)=http://127.0.0.1:7001, \(second.text)=http://witness.example:8080/log"
        let configuration = ServerConfiguration(environment: ["CASELOG_WITNESSES": list])
        let policy = try #require(try configuration.witnesses?.get())
        #expect(policy.quorum == 2)
        #expect(policy.witnesses.map(\.key) == [first, second])
        #expect(
            policy.witnesses.map(\.url.description) == ["http://127.0.0.1:7001/", "http://witness.example:8080/log"]
        )
        #expect(
            policy.witnesses[1].url.appending("add-checkpoint").description
                == "http://witness.example:8080/log/add-checkpoint"
        )
        #expect(try WitnessPolicy(parsing: list, quorum: "1").quorum == 1)
        #expect(ServerConfiguration(environment: [:]).witnesses == nil)

        let refusals: [(String, String?, String)] = [
            (list, "3", "CASELOG_WITNESS_QUORUM must be from 1 to the number of witnesses, 2"),
            (list, "0", "CASELOG_WITNESS_QUORUM must be from 1"),
            (list, "two", "CASELOG_WITNESS_QUORUM must be a number"),
            ("\(first.text)", nil, "expected <witness key>=http://host:port"),
            ("\(first.text)=https://example.org", nil, "expected <witness key>=http://host:port"),
            ("\(first.text)=http://:80", nil, "the URL of caselog.test/a"),
            ("caselog.test/a+00000000+AAAA=http://127.0.0.1:1", nil, "CASELOG_WITNESSES: "),
        ]
        for (text, quorum, message) in refusals {
            do {
                _ = try WitnessPolicy(parsing: text, quorum: quorum)
                Issue.record("accepted \(text) with quorum \(quorum ?? "none")")
            } catch {
                #expect(error.description.contains(message), "\(error)")
            }
        }
    }
}
