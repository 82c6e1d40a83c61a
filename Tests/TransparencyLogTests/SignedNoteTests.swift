import Testing
import TransparencyLog

/// Signed notes and keys against the example of Go's golang.org/x/mod/sumdb/note, byte for byte.
@Suite struct SignedNoteTests {
    static let privateKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
    static let verifierKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    static let text =
        "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    static let signed =
        text
        + "\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"

    @Test func keysReadAndWriteGosForms() throws {
        let signer = try NoteSignerKey(parsing: Self.privateKey)
        #expect(signer.text == Self.privateKey)
        #expect(signer.verifier.text == Self.verifierKey)
        let verifier = try NoteVerifierKey(parsing: Self.verifierKey)
        #expect(verifier == signer.verifier)
        #expect(verifier.keyID == 0xc74f_20a3)
    }

    @Test func signingReproducesGosNoteAndOpeningChecksIt() throws {
        let signer = try NoteSignerKey(parsing: Self.privateKey)
        #expect(try SignedNote.sign(Self.text, with: signer) == Self.signed)
        #expect(try SignedNote.open(Self.signed, verifiedBy: signer.verifier) == Self.text)
        let altered = Self.signed.replacingOccurrences(of: "problem,", with: "problem;")
        #expect(throws: TransparencyLogError.self) { try SignedNote.open(altered, verifiedBy: signer.verifier) }
        let other = try NoteSignerKey.generate(name: "PeterNeumann")
        #expect(throws: TransparencyLogError.self) { try SignedNote.open(Self.signed, verifiedBy: other.verifier) }
    }

    @Test func mangledKeysAreRefused() {
        for bad in [
            "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",
            "PeterNeumann+c74f20a3",
            "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        ] {
            #expect(throws: TransparencyLogError.self) { try NoteVerifierKey(parsing: bad) }
        }
        #expect(throws: TransparencyLogError.self) {
            try NoteSignerKey(parsing: Self.privateKey.replacingOccurrences(of: "c74f20a3", with: "c74f20a4"))
        }
    }

    @Test func aGeneratedKeyRoundTrips() throws {
        let key = try NoteSignerKey.generate(name: "example.org/log")
        let again = try NoteSignerKey(parsing: key.text)
        #expect(again.verifier == key.verifier)
        #expect(throws: TransparencyLogError.self) { try NoteSignerKey.generate(name: "has space") }
    }

    @Test func checkpointsAndReceipts() throws {
        let signer = try NoteSignerKey.generate(name: "example.org/log")
        let leaves = (0..<5).map { TreeHash.leaf([UInt8($0)]) }
        var frontier = TreeFrontier()
        var stored: [Subtree: TreeHash] = [:]
        for leaf in leaves {
            for (subtree, hash) in frontier.append(leafHash: leaf) { stored[subtree] = hash }
        }
        let checkpoint = Checkpoint(origin: "example.org/log", size: 5, root: frontier.root)
        let note = try SignedNote.sign(checkpoint.body, with: signer)
        #expect(try Checkpoint.open(note, verifiedBy: signer.verifier) == checkpoint)
        #expect(note.hasPrefix("example.org/log\n5\n\(frontier.root.base64)\n\n— example.org/log "))

        let tree = MerkleTree { stored[$0]! }
        let receipt = Receipt(
            leafData: [3],
            index: 3,
            proof: tree.inclusionProof(index: 3, size: 5),
            checkpointNote: note
        )
        let parsed = try Receipt(parsing: receipt.text)
        #expect(parsed == receipt)
        #expect(try parsed.verify(with: signer.verifier) == checkpoint)
        let wrongLeaf = Receipt(leafData: [4], index: 3, proof: receipt.proof, checkpointNote: note)
        #expect(throws: TransparencyLogError.self) { try wrongLeaf.verify(with: signer.verifier) }
        #expect(throws: TransparencyLogError.self) {
            try Checkpoint(body: "example.org/log\n05\n\(frontier.root.base64)\n")
        }
    }
}
