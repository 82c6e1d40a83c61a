public import Application
import Foundation
import TransparencyLog

/// Answers requests for the C2SP tlog-tiles layout from the transparency log: `/checkpoint`,
/// `/tile/<L>/<N>[.p/<W>]` (tree hashes, 32 bytes each) and `/tile/entries/<N>[.p/<W>]` (the
/// events' chain hashes, each after its length as two big-endian bytes). Read-only; tiles are
/// immutable once they exist, so caches may keep them for ever.
public struct TileResponder: Sendable {
    let backend: any TransparencyBackend

    public init(backend: any TransparencyBackend) {
        self.backend = backend
    }

    /// The response to `method` (GET or HEAD; HEAD gets GET's headers and no body) on `target`.
    public func response(method: String, target: String) async -> HTTPResponse {
        guard method == "GET" || method == "HEAD" else { return .text(405, "only GET and HEAD") }
        let path = String(target.prefix { $0 != "?" })
        guard let resource = TilePath(path) else { return .text(404, "no such resource") }
        var response: HTTPResponse
        do {
            response = try await self.response(for: resource)
        } catch {
            response = .text(error.code == .unavailable ? 503 : 500, "the log cannot be read now")
        }
        if method == "HEAD" { response.body = [] }
        return response
    }

    private func response(for resource: TilePath) async throws(CaselogError) -> HTTPResponse {
        let immutable = ("cache-control", "public, max-age=31536000, immutable")
        let binary = ("content-type", "application/octet-stream")
        switch resource {
        case .checkpoint:
            guard let note = try await backend.checkpoint() else { return .text(404, "no checkpoint yet") }
            return HTTPResponse(
                status: 200,
                headers: [("content-type", "text/plain; charset=utf-8"), ("cache-control", "no-cache")],
                body: Array(note.utf8)
            )
        case .tile(let level, let index, let width):
            let start = index * Int64(TilePath.fullWidth)
            guard
                let hashes = try await backend.levelHashes(
                    level: level * TilePath.height,
                    from: start,
                    count: width
                )
            else { return .text(404, "no such tile yet") }
            return HTTPResponse(status: 200, headers: [binary, immutable], body: hashes.flatMap { $0 })
        case .entries(let index, let width):
            guard let entries = try await backend.leafData(from: index * Int64(TilePath.fullWidth), count: width)
            else { return .text(404, "no such entry bundle yet") }
            let body = entries.flatMap { [UInt8($0.count >> 8), UInt8($0.count & 0xff)] + $0 }
            return HTTPResponse(status: 200, headers: [binary, immutable], body: body)
        }
    }
}
