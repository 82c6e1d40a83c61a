import Foundation

/// An offline proof that an entry is in the log: the C2SP tlog-proof form.
///
/// ```
/// c2sp.org/tlog-proof@v1
/// extra <base64 of the entry's leaf data>
/// index <leaf index>
/// <inclusion proof hash, base64>   (one per line)
///
/// <signed checkpoint note>
/// ```
/// caselog puts the event's chain hash (the leaf data) in `extra`, so the receipt alone names
/// the event it proves and can be checked with the log's verifier key and nothing else.
public struct Receipt: Sendable, Hashable {
    /// The first line of every receipt.
    public static let header = "c2sp.org/tlog-proof@v1"

    /// The leaf's data: the event's chain hash.
    public let leafData: [UInt8]
    /// The leaf index: the event's position − 1.
    public let index: Int64
    public let proof: [TreeHash]
    /// The signed checkpoint note the proof leads to, byte for byte.
    public let checkpointNote: String

    public init(leafData: [UInt8], index: Int64, proof: [TreeHash], checkpointNote: String) {
        self.leafData = leafData
        self.index = index
        self.proof = proof
        self.checkpointNote = checkpointNote
    }

    /// The receipt's text.
    public var text: String {
        var lines = [Self.header, "extra \(Data(leafData).base64EncodedString())", "index \(index)"]
        lines += proof.map(\.base64)
        return lines.joined(separator: "\n") + "\n\n" + checkpointNote
    }

    /// Reads a receipt's text.
    public init(parsing text: String) throws(TransparencyLogError) {
        guard let blank = text.range(of: "\n\n") else {
            throw .malformed("receipt", "expected the proof, a blank line and the checkpoint")
        }
        var lines = text[..<blank.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)[...]
        guard lines.popFirst() == Substring(Self.header) else {
            throw .malformed("receipt", "the first line must be \(Self.header)")
        }
        var leafData: [UInt8]?
        if let line = lines.first, line.hasPrefix("extra ") {
            lines.removeFirst()
            leafData = Data(base64Encoded: String(line.dropFirst(6))).map { Array($0) }
        }
        guard let leafData else { throw .malformed("receipt", "caselog receipts carry the event's hash as extra") }
        guard let line = lines.popFirst(), line.hasPrefix("index "), let index = Int64(line.dropFirst(6)), index >= 0
        else {
            throw .malformed("receipt", "expected `index N` after extra")
        }
        var proof: [TreeHash] = []
        for line in lines {
            guard let hash = TreeHash(base64: line) else {
                throw .malformed("receipt", "a proof line is not a base64 hash")
            }
            proof.append(hash)
        }
        self.init(
            leafData: leafData,
            index: index,
            proof: proof,
            checkpointNote: String(text[blank.upperBound...])
        )
    }

    /// Checks the checkpoint's signature with `key` and the inclusion proof against its root;
    /// answers the checkpoint.
    public func verify(with key: NoteVerifierKey) throws(TransparencyLogError) -> Checkpoint {
        let checkpoint = try Checkpoint.open(checkpointNote, verifiedBy: key)
        guard index < checkpoint.size else {
            throw TransparencyLogError(
                .unverified,
                "index \(index) is outside the checkpoint's tree of \(checkpoint.size)"
            )
        }
        guard
            MerkleProof.verifyInclusion(
                leafHash: TreeHash.leaf(leafData),
                index: index,
                size: checkpoint.size,
                proof: proof,
                root: checkpoint.root
            )
        else {
            throw TransparencyLogError(.unverified, "the inclusion proof does not lead to the checkpoint's root")
        }
        return checkpoint
    }
}
