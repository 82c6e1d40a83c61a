import Foundation
import Testing
import TransparencyLog

/// The RFC 6962 test corpus of the Certificate Transparency reference implementation: eight
/// leaves, the root at every size, inclusion paths and consistency proofs.
@Suite struct MerkleTreeTests {
    static let leaves: [[UInt8]] = [
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
    ].map(bytes)

    static let roots = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    static func bytes(_ hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            result.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return result
    }

    static func hash(_ hex: String) -> TreeHash { TreeHash(bytes: bytes(hex))! }

    /// An in-memory tree over leaf hashes: every complete subtree computed directly.
    static func tree(_ leafHashes: [TreeHash]) -> MerkleTree<Never> {
        MerkleTree { subtree in
            var level = Array(leafHashes[Int(subtree.firstLeaf)..<Int(subtree.endLeaf)])
            while level.count > 1 {
                level = stride(from: 0, to: level.count, by: 2).map { TreeHash.node(level[$0], level[$0 + 1]) }
            }
            return level[0]
        }
    }

    static var corpus: MerkleTree<Never> { tree(leaves.map(TreeHash.leaf)) }

    @Test func rootsOfTheReferenceCorpus() {
        for size in 0...8 {
            #expect(Self.corpus.root(size: Int64(size)) == Self.hash(Self.roots[size]), "size \(size)")
        }
    }

    @Test func theFrontierGivesTheSameRootsAndStoresEveryCompleteSubtree() {
        var frontier = TreeFrontier()
        var stored: [Subtree: TreeHash] = [:]
        for (offset, leaf) in Self.leaves.enumerated() {
            for (subtree, hash) in frontier.append(leafHash: TreeHash.leaf(leaf)) { stored[subtree] = hash }
            #expect(frontier.root == Self.hash(Self.roots[offset + 1]))
        }
        #expect(stored.count == 8 + 4 + 2 + 1)
        let fromStore = MerkleTree { stored[$0]! }
        #expect(fromStore.root(size: 7) == Self.hash(Self.roots[7]))
        let reloaded = TreeFrontier(size: 6, hashes: TreeFrontier.subtrees(ofSize: 6).map { stored[$0]! })
        #expect(reloaded?.root == Self.hash(Self.roots[6]))
    }

    @Test func inclusionPathsOfRFC6962() {
        let path = Self.corpus.inclusionProof(index: 0, size: 7)
        #expect(
            path
                == [
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "837dbb152e9b079010717e84e865da4ebc0fa198a806d59d31bf15accef22d0e",
                ].map(Self.hash)
        )
    }

    @Test func consistencyProofsOfTheReferenceCorpus() {
        let expected: [(Int64, Int64, [String])] = [
            (1, 1, []),
            (
                1, 8,
                [
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
                ]
            ),
            (
                6, 8,
                [
                    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                ]
            ),
            (
                2, 5,
                [
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                ]
            ),
        ]
        for (old, new, hashes) in expected {
            #expect(Self.corpus.consistencyProof(oldSize: old, newSize: new) == hashes.map(Self.hash), "\(old)→\(new)")
        }
    }

    @Test func everyProofVerifiesAndAnyChangeIsRefused() {
        let leafHashes = (0..<37).map { TreeHash.leaf([UInt8($0)]) }
        let tree = Self.tree(leafHashes)
        for size in Int64(1)...37 {
            let root = tree.root(size: size)
            for index in 0..<size {
                let proof = tree.inclusionProof(index: index, size: size)
                let leaf = leafHashes[Int(index)]
                #expect(MerkleProof.verifyInclusion(leafHash: leaf, index: index, size: size, proof: proof, root: root))
                let other = leafHashes[Int((index + 1) % 37)]
                #expect(
                    !MerkleProof.verifyInclusion(leafHash: other, index: index, size: size, proof: proof, root: root)
                )
                #expect(
                    !MerkleProof.verifyInclusion(leafHash: leaf, index: index, size: size, proof: proof, root: other)
                )
                if let first = proof.first {
                    let altered = [other] + proof.dropFirst()
                    #expect(
                        first == other
                            || !MerkleProof.verifyInclusion(
                                leafHash: leaf,
                                index: index,
                                size: size,
                                proof: altered,
                                root: root
                            )
                    )
                }
            }
            for old in Int64(0)...size {
                let proof = tree.consistencyProof(oldSize: old, newSize: size)
                let oldRoot = tree.root(size: old)
                #expect(
                    MerkleProof.verifyConsistency(
                        oldSize: old,
                        newSize: size,
                        oldRoot: oldRoot,
                        newRoot: root,
                        proof: proof
                    ),
                    "\(old)→\(size)"
                )
                if old > 0 && old < size {
                    #expect(
                        !MerkleProof.verifyConsistency(
                            oldSize: old,
                            newSize: size,
                            oldRoot: TreeHash.leaf([0xff]),
                            newRoot: root,
                            proof: proof
                        )
                    )
                    #expect(
                        !MerkleProof.verifyConsistency(
                            oldSize: old,
                            newSize: size,
                            oldRoot: oldRoot,
                            newRoot: root,
                            proof: Array(proof.dropLast())
                        )
                    )
                }
            }
        }
    }

    @Test func neededSubtreesAreWhatTheComputationReads() {
        let needed = MerkleTree<Never>.neededSubtrees { tree in
            _ = tree.inclusionProof(index: 2, size: 7)
        }
        #expect(
            Set(needed) == [
                Subtree(level: 0, index: 3), Subtree(level: 1, index: 0), Subtree(level: 1, index: 2),
                Subtree(level: 0, index: 6),
            ]
        )
    }
}

/// The tree over docs/integrity.md's three-event log, as that page publishes it.
@Suite struct DocumentedTreeTests {
    @Test func theDocumentedRootsOfTheThreeEventLog() {
        let chainHashes = [
            "df06376435915fda398ff47bbef45496f83ccb086e4b52852738c378ac9cad24",
            "434827f35dffc61c1c2f8c214e197485a2efc367bfadc024424714362d86a02e",
            "12dcaec5cd7a69f11922ce30b45e9ab19712f6da5cf1718cc4572ad3f0e660fe",
        ].map(MerkleTreeTests.bytes)
        var frontier = TreeFrontier()
        var roots: [String] = []
        for hash in chainHashes {
            _ = frontier.append(leafHash: TreeHash.leaf(hash))
            roots.append(frontier.root.base64)
        }
        #expect(
            roots == [
                "ZG41uNBmeo8B9iTBf5xDhFQciM6nZ9X531rZ3NlKCrE=", "Vnb7RV7jpctvpM4vQ2kZcKwkFvGRvkJ/QEKy1OPfOE4=",
                "K//CXuSR1L1iF0glVkE6OB9I8jopVApphAcfPO4oy0Y=",
            ]
        )
    }
}
