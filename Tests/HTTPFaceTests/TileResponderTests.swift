import Application
import EventLog
import HTTPFace
import Testing

/// The tile responder's answers, over a log of `size` leaves held in memory.
@Suite struct TileResponderTests {
    /// Level l's hash i is [l, i % 256] repeated; leaf data is [i % 256].
    struct FixedLog: TransparencyBackend {
        let size: Int64

        func checkpoint() async throws(CaselogError) -> String? { "example.org/log\n\(size)\nroot\n\n— sig\n" }
        func cosignedCheckpoint() async throws(CaselogError) -> String { throw CaselogError(.unavailable, "none") }

        func inclusionProof(position: LogPosition, size: Int64?) async throws(CaselogError) -> InclusionProof {
            throw CaselogError(.err, "not used")
        }

        func consistencyProof(from old: Int64, to new: Int64) async throws(CaselogError) -> [[UInt8]] { [] }

        func levelHashes(level: Int, from index: Int64, count: Int) async throws(CaselogError) -> [[UInt8]]? {
            guard index + Int64(count) <= size >> level else { return nil }
            return (index..<index + Int64(count)).map {
                [UInt8](repeating: UInt8(level), count: 16) + [UInt8](repeating: UInt8($0 % 256), count: 16)
            }
        }

        func leafData(from index: Int64, count: Int) async throws(CaselogError) -> [[UInt8]]? {
            guard index + Int64(count) <= size else { return nil }
            return (index..<index + Int64(count)).map { [UInt8($0 % 256)] }
        }
    }

    let responder = TileResponder(backend: FixedLog(size: 300))

    @Test func tilesBundlesAndTheCheckpoint() async {
        let full = await responder.response(method: "GET", target: "/tile/0/000")
        #expect(full.status == 200)
        #expect(full.body.count == 256 * 32)
        #expect(full.headers.contains { $0 == ("cache-control", "public, max-age=31536000, immutable") })
        let partial = await responder.response(method: "GET", target: "/tile/0/001.p/44")
        #expect(partial.body.count == 44 * 32)
        #expect(Array(partial.body.prefix(32)) == [UInt8](repeating: 0, count: 16) + [UInt8](repeating: 0, count: 16))
        let upper = await responder.response(method: "GET", target: "/tile/1/000.p/1")
        #expect(Array(upper.body.prefix(16)) == [UInt8](repeating: 8, count: 16), "tile level 1 is tree level 8")
        let bundle = await responder.response(method: "GET", target: "/tile/entries/001.p/2")
        #expect(bundle.body == [0, 1, 0, 0, 1, 1])
        let checkpoint = await responder.response(method: "GET", target: "/checkpoint")
        #expect(checkpoint.body == Array("example.org/log\n300\nroot\n\n— sig\n".utf8))
        #expect(checkpoint.headers.contains { $0 == ("cache-control", "no-cache") })
    }

    @Test func whatIsNotThereIsRefused() async {
        #expect(await responder.response(method: "GET", target: "/tile/0/001").status == 404, "not full yet")
        #expect(await responder.response(method: "GET", target: "/tile/0/001.p/45").status == 404)
        #expect(await responder.response(method: "GET", target: "/tile/entries/002.p/1").status == 404)
        #expect(await responder.response(method: "GET", target: "/tile/0/1").status == 404)
        #expect(await responder.response(method: "POST", target: "/checkpoint").status == 405)
        let head = await responder.response(method: "HEAD", target: "/tile/0/000")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
    }
}
