import CaselogServer
import CaselogTesting
import Foundation
import Testing
import TransparencyLog

/// `caselog witness` as a real process on a real socket, fed the checkpoints and consistency
/// proofs of a real log; its cosignatures checked here and by the Go checker.
@Suite struct WitnessProcessTests {
    /// A `caselog witness` process and the port it reported.
    final class WitnessProcess {
        let process: RunningProcess
        let url: String

        init(binary: String, keyFile: String, logKey: NoteVerifierKey, stateFile: String) async throws {
            process = try RunningProcess(
                binary,
                ["witness", "--key", keyFile, "--log-key", logKey.text, "--state", stateFile, "--port", "0"]
            )
            let line = await process.readLines { $0.contains(" listening on ") }.last ?? ""
            guard line.contains(" listening on "), let port = line.split(separator: ":").last.flatMap({ Int($0) })
            else {
                throw TestEnvironmentError("caselog witness did not report its port: \(line)")
            }
            url = "http://127.0.0.1:\(port)/add-checkpoint"
        }

        /// POSTs `body`; answers the status, the content type and the body.
        func post(_ body: String) async throws -> (status: Int, contentType: String, body: String) {
            let outcome = try await Subprocess.outcome(
                "curl",
                ["-s", "--data-binary", "@-", "-w", "\n%{http_code} %{content_type}", url],
                input: body
            )
            let end = try #require(outcome.output.range(of: "\n", options: .backwards))
            let trailer = outcome.output[end.upperBound...].split(separator: " ", maxSplits: 1)
            return (
                Int(trailer.first ?? "") ?? 0, trailer.count > 1 ? String(trailer[1]) : "",
                String(outcome.output[..<end.lowerBound])
            )
        }
    }

    static func request(old: Int64, proof: [TreeHash] = [], note: String) -> String {
        AddCheckpointRequest(oldSize: old, proof: proof, note: note).body
    }

    @Test func cosignsConsistentCheckpointsRefusesRollbackForkAndForgeryAndKeepsItsStateOverARestart()
        async throws
    {
        try await TransparencyLogTests.withKeyFile { path, key in
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            let binary = try ExportTests.binary()
            let witnessKeyFile = directory.appending(path: "witness.key").path
            let generated = try await Subprocess.outcome(
                binary,
                ["key", "generate", witnessKeyFile, "--name", "caselog.test/witness", "--witness"]
            )
            let witnessKey = try LogKeyFile(path: witnessKeyFile).readWitnessKey().verifier
            #expect(generated.output == witnessKey.text + "\n")
            #expect(try await Subprocess.run(binary, ["key", "show", witnessKeyFile]) == witnessKey.text + "\n")
            let stateFile = directory.appending(path: "witness.state").path

            try await TestServer.with(logKeyFile: path) { server in
                try await server.withClient(token: server.adminToken) { client in
                    try await TransparencyLogTests.append(5, on: client)
                    let (first, firstNote) = try await TransparencyLogTests.checkpoint(
                        of: server,
                        client: client,
                        key: key
                    )
                    try await TransparencyLogTests.append(6, on: client)
                    let (second, secondNote) = try await TransparencyLogTests.checkpoint(
                        of: server,
                        client: client,
                        key: key
                    )
                    let proof = try TransparencyLogTests.hashes(
                        try await client.command(
                            "LOG",
                            "PROOF",
                            "CONSISTENCY",
                            String(first.size),
                            String(second.size)
                        )["proof"]
                    )

                    var witness = try await WitnessProcess(
                        binary: binary,
                        keyFile: witnessKeyFile,
                        logKey: key.verifier,
                        stateFile: stateFile
                    )
                    let before = Int64(Date().timeIntervalSince1970)
                    let cosigned = try await witness.post(Self.request(old: 0, note: firstNote))
                    #expect(cosigned.status == 200, "\(cosigned)")
                    let signature = try #require(try SignedNote(parsing: firstNote + cosigned.body).signatures.last)
                    let time = try #require(witnessKey.cosignatureTime(of: signature, on: first.body))
                    #expect(time >= before && time <= Int64(Date().timeIntervalSince1970))

                    let cosignedFile = directory.appending(path: "cosigned").path
                    try Data((firstNote + cosigned.body).utf8).write(to: URL(fileURLWithPath: cosignedFile))
                    let goChecked = try await Subprocess.outcome(
                        try TransparencyInteropTests.checker(),
                        ["-key", key.verifier.text, "-checkpoint", cosignedFile, "-witness", witnessKey.text]
                    )
                    #expect(goChecked.status == 0, "\(goChecked.output)")
                    #expect(goChecked.output.contains("ok cosigned by caselog.test/witness"), "\(goChecked.output)")

                    let extended = try await witness.post(Self.request(old: first.size, proof: proof, note: secondNote))
                    #expect(extended.status == 200, "\(extended)")
                    let secondSignature = try #require(
                        try SignedNote(parsing: secondNote + extended.body).signatures.last
                    )
                    #expect(witnessKey.cosignatureTime(of: secondSignature, on: second.body) != nil)
                    try Data((firstNote + extended.body).utf8).write(to: URL(fileURLWithPath: cosignedFile))
                    let misplaced = try await Subprocess.outcome(
                        try TransparencyInteropTests.checker(),
                        ["-key", key.verifier.text, "-checkpoint", cosignedFile, "-witness", witnessKey.text]
                    )
                    #expect(misplaced.status == 1, "a cosignature of another checkpoint: \(misplaced.output)")

                    let rollback = try await witness.post(Self.request(old: first.size, note: firstNote))
                    #expect(rollback.status == 409)
                    #expect(rollback.contentType == "text/x.tlog.size")
                    #expect(rollback.body == "\(second.size)\n")

                    let forked = Checkpoint(origin: first.origin, size: second.size, root: first.root)
                    let fork = try await witness.post(
                        Self.request(old: second.size, note: try SignedNote.sign(forked.body, with: key))
                    )
                    #expect(fork.status == 409, "another root at the cosigned size")
                    let forkedLarger = Checkpoint(origin: first.origin, size: second.size + 3, root: second.root)
                    let badProof = try await witness.post(
                        Self.request(
                            old: second.size,
                            proof: proof,
                            note: try SignedNote.sign(forkedLarger.body, with: key)
                        )
                    )
                    #expect(badProof.status == 422)

                    let impostor = try NoteSignerKey.generate(name: first.origin)
                    let forged = try await witness.post(
                        Self.request(old: second.size, note: try SignedNote.sign(second.body, with: impostor))
                    )
                    #expect(forged.status == 403)

                    witness.process.terminate()
                    witness = try await WitnessProcess(
                        binary: binary,
                        keyFile: witnessKeyFile,
                        logKey: key.verifier,
                        stateFile: stateFile
                    )
                    let afterRestart = try await witness.post(Self.request(old: 0, note: firstNote))
                    #expect(afterRestart.status == 409, "the state survives a kill and a restart")
                    #expect(afterRestart.body == "\(second.size)\n")
                    let again = try await witness.post(Self.request(old: second.size, note: secondNote))
                    #expect(again.status == 200, "\(again)")
                    witness.process.terminate()
                }
            }
        }
    }
}
