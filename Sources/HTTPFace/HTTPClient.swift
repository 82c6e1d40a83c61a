public import NIOCore
import NIOHTTP1
public import NIOPosix

/// A URL an HTTP client can reach: `http://host[:port]/path`; no TLS.
public struct HTTPEndpoint: Sendable, Hashable, CustomStringConvertible {
    public let host: String
    public let port: Int
    public let path: String

    /// Reads `http://host[:port][/path]`; nil for any other form.
    public init?(url: String) {
        guard url.hasPrefix("http://") else { return nil }
        let rest = url.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, let host = parts.first, !host.isEmpty else { return nil }
        let port = parts.count == 2 ? Int(parts[1]) : 80
        guard let port, (1...65535).contains(port) else { return nil }
        self.host = String(host)
        self.port = port
        self.path = path.isEmpty ? "/" : String(path)
    }

    /// This endpoint with `path` appended to its own (one slash between them).
    public func appending(_ path: String) -> HTTPEndpoint {
        let base = self.path.hasSuffix("/") ? self.path.dropLast() : Substring(self.path)
        return HTTPEndpoint(url: "http://\(host):\(port)\(base)/\(path)")!
    }

    public var description: String { "http://\(host):\(port)\(path)" }
}

/// A minimal HTTP/1.1 client on SwiftNIO: one request per connection.
public enum HTTPClient {
    /// POSTs `body` to `endpoint` and answers the response (its body up to `maximumBody` bytes);
    /// throws when the connection fails or the whole exchange takes longer than `timeout`.
    public static func post(
        _ body: [UInt8],
        to endpoint: HTTPEndpoint,
        contentType: String = "text/plain; charset=utf-8",
        timeout: Duration = .seconds(10),
        maximumBody: Int = 64 * 1024,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> HTTPResponse {
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.init(timeout))
            .connect(host: endpoint.host, port: endpoint.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel
                    )
                }
            }
        return try await withThrowingTaskGroup(of: HTTPResponse?.self) { tasks in
            tasks.addTask {
                try await exchange(
                    body,
                    endpoint: endpoint,
                    contentType: contentType,
                    maximumBody: maximumBody,
                    on: channel
                )
            }
            tasks.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            defer {
                tasks.cancelAll()
                channel.channel.close(promise: nil)
            }
            guard let response = try await tasks.next() ?? nil else {
                throw HTTPClientError("\(endpoint) did not answer within \(timeout)")
            }
            return response
        }
    }

    private static func exchange(
        _ body: [UInt8],
        endpoint: HTTPEndpoint,
        contentType: String,
        maximumBody: Int,
        on channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
    ) async throws -> HTTPResponse {
        try await channel.executeThenClose { inbound, outbound in
            var headers = HTTPHeaders()
            headers.add(name: "host", value: "\(endpoint.host):\(endpoint.port)")
            headers.add(name: "content-type", value: contentType)
            headers.add(name: "content-length", value: String(body.count))
            headers.add(name: "connection", value: "close")
            try await outbound.write(
                .head(HTTPRequestHead(version: .http1_1, method: .POST, uri: endpoint.path, headers: headers))
            )
            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body))))
            try await outbound.write(.end(nil))
            var response: HTTPResponse?
            for try await part in inbound {
                switch part {
                case .head(let head):
                    response = HTTPResponse(
                        status: Int(head.status.code),
                        headers: head.headers.map { ($0.name.lowercased(), $0.value) },
                        body: []
                    )
                case .body(var buffer):
                    guard (response?.body.count ?? 0) + buffer.readableBytes <= maximumBody else {
                        throw HTTPClientError("\(endpoint) answered more than \(maximumBody) bytes")
                    }
                    response?.body += buffer.readBytes(length: buffer.readableBytes) ?? []
                case .end:
                    if let response { return response }
                }
            }
            throw HTTPClientError("\(endpoint) closed the connection before a complete response")
        }
    }
}

/// An HTTP request that got no usable response.
public struct HTTPClientError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension HTTPResponse {
    /// The value of the header `name` (case-insensitive), when present.
    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}
