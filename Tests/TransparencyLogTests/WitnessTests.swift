import Foundation
import Testing
import TransparencyLog

/// The witness's checks and cosignatures (C2SP tlog-witness, tlog-cosignature/v1), without sockets.
@Suite struct WitnessTests {
    static let origin = "example.org/log"
    static let leaves = (0..<20).map { TreeHash.leaf(Array("event \($0)".utf8)) }
    static var tree: MerkleTree<Never> { MerkleTreeTests.tree(leaves) }

    let logKey: NoteSignerKey
    let witness: Witness

    init() throws {
        logKey = try NoteSignerKey.generate(name: Self.origin)
        witness = Witness(logKey: logKey.verifier, key: try CosignatureSignerKey.generate(name: "example.org/witness"))
    }

    /// The checkpoint of the first `size` leaves, and its note signed by `signer`.
    static func checkpoint(_ size: Int64, root: TreeHash? = nil, signer: NoteSignerKey) throws -> (Checkpoint, String) {
        let checkpoint = Checkpoint(origin: signer.verifier.name, size: size, root: root ?? tree.root(size: size))
        return (checkpoint, try SignedNote.sign(checkpoint.body, with: signer))
    }

    /// The request to go from `old` to the checkpoint `note`, with the log's consistency proof.
    static func request(old: Int64, note: String, size: Int64, proof: [TreeHash]? = nil) -> [UInt8] {
        let proof = proof ?? (old == 0 ? [] : tree.consistencyProof(oldSize: old, newSize: size))
        return Array(AddCheckpointRequest(oldSize: old, proof: proof, note: note).body.utf8)
    }

    func refusal(_ body: [UInt8], latest: Checkpoint?) -> WitnessRefusal? {
        do {
            _ = try witness.addCheckpoint(body, latest: latest, time: 1_700_000_000)
            return nil
        } catch {
            return error
        }
    }

    @Test func cosignsTheFirstCheckpointAndThenAConsistentLargerOne() throws {
        let (first, firstNote) = try Self.checkpoint(7, signer: logKey)
        let cosigned = try witness.addCheckpoint(
            Self.request(old: 0, note: firstNote, size: 7),
            latest: nil,
            time: 1_700_000_000
        )
        #expect(cosigned.checkpoint == first)
        let signature = try #require(try SignedNote(parsing: firstNote + cosigned.cosignature).signatures.last)
        #expect(witness.key.verifier.cosignatureTime(of: signature, on: first.body) == 1_700_000_000)
        #expect(
            witness.key.verifier.cosignatureTime(of: signature, on: first.body.replacingOccurrences(of: "7", with: "8"))
                == nil
        )

        let (second, secondNote) = try Self.checkpoint(20, signer: logKey)
        let next = try witness.addCheckpoint(
            Self.request(old: 7, note: secondNote, size: 20),
            latest: first,
            time: 1_700_000_060
        )
        #expect(next.checkpoint == second)
        let again = try witness.addCheckpoint(
            Self.request(old: 20, note: secondNote, size: 20),
            latest: second,
            time: 1_700_000_061
        )
        #expect(again.checkpoint == second, "the same checkpoint again is cosigned again")
    }

    @Test func refusesWithTheSpecsStatusCodes() throws {
        let (latest, _) = try Self.checkpoint(10, signer: logKey)
        let (_, larger) = try Self.checkpoint(16, signer: logKey)
        let (_, smaller) = try Self.checkpoint(8, signer: logKey)

        let rollback = refusal(Self.request(old: 8, note: smaller, size: 8), latest: latest)
        #expect(rollback?.status == 409)
        #expect(rollback?.latestSize == 10)
        #expect(refusal(Self.request(old: 0, note: larger, size: 16), latest: latest)?.latestSize == 10)
        #expect(
            refusal(Self.request(old: 10, note: smaller, size: 8, proof: []), latest: latest)?.status == 400,
            "old > size"
        )

        let (_, fork) = try Self.checkpoint(10, root: TreeHash.leaf([1]), signer: logKey)
        #expect(refusal(Self.request(old: 10, note: fork, size: 10, proof: []), latest: latest)?.status == 409)
        let (_, forkedLarger) = try Self.checkpoint(16, root: TreeHash.leaf([2]), signer: logKey)
        #expect(refusal(Self.request(old: 10, note: forkedLarger, size: 16), latest: latest)?.status == 422)
        var badProof = Self.tree.consistencyProof(oldSize: 10, newSize: 16)
        badProof[0] = TreeHash.leaf([3])
        #expect(refusal(Self.request(old: 10, note: larger, size: 16, proof: badProof), latest: latest)?.status == 422)
        #expect(
            refusal(Self.request(old: 0, note: larger, size: 16, proof: [TreeHash.leaf([4])]), latest: nil)?.status
                == 422
        )

        let impostor = try NoteSignerKey.generate(name: Self.origin)
        let (_, unsigned) = try Self.checkpoint(16, signer: impostor)
        #expect(refusal(Self.request(old: 10, note: unsigned, size: 16), latest: latest)?.status == 403)
        let (_, otherLog) = try Self.checkpoint(16, signer: try NoteSignerKey.generate(name: "example.org/other"))
        #expect(refusal(Self.request(old: 10, note: otherLog, size: 16), latest: latest)?.status == 404)

        for malformed in [
            "", "old 10\n", "old 010\n\n\(larger)", "old -1\n\n\(larger)", "old 10\nnot-a-hash\n\n\(larger)",
            "old 10\n\nnot a note\n",
        ] {
            #expect(refusal(Array(malformed.utf8), latest: latest)?.status == 400, "\(malformed)")
        }
        let tooLong = "old 10\n" + String(repeating: "\(TreeHash.empty.base64)\n", count: 64) + "\n" + larger
        #expect(refusal(Array(tooLong.utf8), latest: latest)?.status == 400)
    }

    @Test func cosignatureKeysUseTheirOwnTypeByteAndKeyID() throws {
        let seed = [UInt8](repeating: 7, count: 32)
        let cosigner = try CosignatureSignerKey(name: "example.org/w", seed: seed)
        let noteKey = try NoteSignerKey(name: "example.org/w", seed: seed)
        #expect(cosigner.verifier.publicKey == noteKey.verifier.publicKey)
        #expect(cosigner.verifier.keyID != noteKey.verifier.keyID, "type 0x04, not 0x01, in the key id")
        #expect(try CosignatureSignerKey(parsing: cosigner.text).verifier == cosigner.verifier)
        #expect(try CosignatureVerifierKey(parsing: cosigner.verifier.text) == cosigner.verifier)
        #expect(cosigner.verifier.text.split(separator: "+")[2].hasPrefix("B"), "base64 of 0x04 starts with B")
        #expect(throws: TransparencyLogError.self) { try NoteVerifierKey(parsing: cosigner.verifier.text) }
        #expect(throws: TransparencyLogError.self) { try CosignatureVerifierKey(parsing: noteKey.verifier.text) }
        #expect(throws: TransparencyLogError.self) { try CosignatureSignerKey(parsing: noteKey.text) }

        let line = try cosigner.cosignatureLine(on: "example.org/log\n1\n\(TreeHash.empty.base64)\n", time: 258)
        let bytes = try #require(Data(base64Encoded: String(line.dropLast().split(separator: " ")[2])))
        #expect(bytes.count == 4 + 8 + 64)
        #expect(Array(bytes[4..<12]) == [0, 0, 0, 0, 0, 0, 1, 2], "the time, 8 bytes big-endian")
    }
}
