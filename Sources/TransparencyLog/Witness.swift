import Foundation

/// A C2SP tlog-witness for one log: checks an `add-checkpoint` request against the checkpoint it
/// cosigned last and, when the new one is signed by the log and consistent with it, cosigns it.
///
/// A value with no state of its own: the caller keeps the latest cosigned checkpoint, and must
/// check a request and store the new checkpoint as one step, before answering.
public struct Witness: Sendable {
    /// The log's key: its name is the only origin this witness knows.
    public let logKey: NoteVerifierKey
    /// The witness's own cosignature key.
    public let key: CosignatureSignerKey

    /// The most consistency proof lines a request may hold (tlog-witness).
    static let maximumProofLines = 63

    public init(logKey: NoteVerifierKey, key: CosignatureSignerKey) {
        self.logKey = logKey
        self.key = key
    }

    /// A checkpoint the witness accepted: to be stored, then answered with `cosignature`.
    public struct Cosigned: Sendable, Equatable {
        public let checkpoint: Checkpoint
        /// The cosignature line, ending in a newline.
        public let cosignature: String
    }

    /// Checks the request `body` against `latest` (nil before the first cosignature) and cosigns
    /// the new checkpoint at `time`; throws the refusal with the status tlog-witness gives it.
    public func addCheckpoint(
        _ body: [UInt8],
        latest: Checkpoint?,
        time: Int64
    ) throws(WitnessRefusal) -> Cosigned {
        let request = try AddCheckpointRequest(parsing: body)
        let checkpoint: Checkpoint
        do {
            checkpoint = try Checkpoint(body: SignedNote(parsing: request.note).text)
        } catch {
            throw WitnessRefusal(400, "the checkpoint: \(error.message)")
        }
        guard checkpoint.origin == logKey.name else {
            throw WitnessRefusal(404, "unknown log origin \(checkpoint.origin)")
        }
        guard (try? Checkpoint.open(request.note, verifiedBy: logKey)) != nil else {
            throw WitnessRefusal(403, "the checkpoint has no valid signature by the log's key \(logKey.text)")
        }
        guard request.oldSize <= checkpoint.size else {
            throw WitnessRefusal(400, "old \(request.oldSize) is larger than the checkpoint's size \(checkpoint.size)")
        }
        let latestSize = latest?.size ?? 0
        guard request.oldSize == latestSize else { throw .sizeConflict(latestSize) }
        if let latest, checkpoint.size == latest.size, checkpoint.root != latest.root {
            throw .sizeConflict(latestSize)
        }
        let consistent = MerkleProof.verifyConsistency(
            oldSize: latestSize,
            newSize: checkpoint.size,
            oldRoot: latest?.root ?? TreeHash.empty,
            newRoot: checkpoint.root,
            proof: request.proof
        )
        guard consistent else {
            throw WitnessRefusal(422, "the consistency proof from \(latestSize) to \(checkpoint.size) does not verify")
        }
        do {
            return Cosigned(
                checkpoint: checkpoint,
                cosignature: try key.cosignatureLine(on: checkpoint.body, time: time)
            )
        } catch {
            throw WitnessRefusal(500, "cannot sign: \(error)")
        }
    }
}

/// The body of a tlog-witness `add-checkpoint` request: `old <size>`, the consistency proof's
/// hashes in base64 one per line, an empty line, then the signed checkpoint note.
public struct AddCheckpointRequest: Sendable, Equatable {
    public let oldSize: Int64
    public let proof: [TreeHash]
    public let note: String

    public init(oldSize: Int64, proof: [TreeHash], note: String) {
        self.oldSize = oldSize
        self.proof = proof
        self.note = note
    }

    /// The request's body text.
    public var body: String {
        "old \(oldSize)\n" + proof.map { "\($0.base64)\n" }.joined() + "\n" + note
    }

    /// Reads a request body; a malformed one is refused with 400.
    public init(parsing body: [UInt8]) throws(WitnessRefusal) {
        guard let text = String(validating: body, as: UTF8.self), let blank = text.range(of: "\n\n") else {
            throw WitnessRefusal(400, "expected an old size line, proof lines, an empty line and a checkpoint")
        }
        let lines = text[..<blank.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, first.hasPrefix("old "), let oldSize = Int64(first.dropFirst(4)),
            oldSize >= 0, String(oldSize) == first.dropFirst(4)
        else {
            throw WitnessRefusal(400, "the first line is `old <size>`, a decimal with no leading zeros")
        }
        guard lines.count - 1 <= Witness.maximumProofLines else {
            throw WitnessRefusal(400, "more than \(Witness.maximumProofLines) consistency proof lines")
        }
        var proof: [TreeHash] = []
        for line in lines.dropFirst() {
            guard let hash = TreeHash(base64: line) else {
                throw WitnessRefusal(400, "a consistency proof line is one hash in base64")
            }
            proof.append(hash)
        }
        self.init(oldSize: oldSize, proof: proof, note: String(text[blank.upperBound...]))
    }
}

/// A refused `add-checkpoint` request, with the HTTP status tlog-witness gives it: 400 malformed,
/// 403 not signed by the log's key, 404 unknown origin, 409 old size not the latest cosigned (or
/// another root at that size), 422 a consistency proof that does not verify.
public struct WitnessRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// The HTTP status, the refusal's stable code.
    public let status: Int
    public let message: String
    /// The latest cosigned size a 409 reports, as the body `text/x.tlog.size` the spec requires.
    public let latestSize: Int64?

    init(_ status: Int, _ message: String, latestSize: Int64? = nil) {
        self.status = status
        self.message = message
        self.latestSize = latestSize
    }

    static func sizeConflict(_ latestSize: Int64) -> WitnessRefusal {
        WitnessRefusal(409, "the latest cosigned size is \(latestSize)", latestSize: latestSize)
    }

    public var description: String { "\(status) \(message)" }
}
