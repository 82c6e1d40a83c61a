import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// The answer to one HTTP request: status, headers and body.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public static func == (lhs: HTTPResponse, rhs: HTTPResponse) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body
            && lhs.headers.elementsEqual(rhs.headers) { $0.0 == $1.0 && $0.1 == $1.1 }
    }

    static func text(_ status: Int, _ message: String) -> HTTPResponse {
        HTTPResponse(
            status: status,
            headers: [("content-type", "text/plain; charset=utf-8"), ("cache-control", "no-store")],
            body: Array((message + "\n").utf8)
        )
    }
}

/// Where an HTTP server listens.
public struct HTTPServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks a free port (`onListening` is told the one bound).
    public var port: Int
    /// How long a connection may take to send its request and receive the answer before it is
    /// closed, so that a silent client cannot hold the server open on shutdown.
    public var requestTimeout: Duration = .seconds(10)

    public init(port: Int) {
        self.port = port
    }
}

/// HTTP/1.1 on SwiftNIO, one request per connection: reads a request (its body up to
/// `maximumBody` bytes), asks `respond` for the answer, writes it and closes the connection.
struct HTTPServer: Sendable {
    /// What `respond` is given: the method, the request target and the body.
    typealias Respond = @Sendable (_ method: String, _ target: String, _ body: [UInt8]) async -> HTTPResponse

    let configuration: HTTPServerConfiguration
    let name: String
    let maximumBody: Int
    let logger: Logger
    let group: any EventLoopGroup
    let onListening: @Sendable (Int) -> Void
    let respond: Respond

    /// Serves until the graceful shutdown of the service running it.
    func run() async throws {
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: channel
                    )
                }
            }
        let port = server.channel.localAddress?.port ?? configuration.port
        logger.info("\(name) listening", metadata: ["host": "\(configuration.host)", "port": "\(port)"])
        onListening(port)
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { connections in
                try await server.executeThenClose { inbound in
                    for try await connection in inbound {
                        connections.addTask { await self.serve(connection) }
                    }
                }
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
        }
    }

    /// Answers the connection's first request, then closes it; closes it anyway after `requestTimeout`.
    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        let timeout = configuration.requestTimeout
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.answer(connection) }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
            connection.channel.close(promise: nil)
        }
    }

    private func answer(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var request: HTTPRequestHead?
                var body: [UInt8] = []
                var tooLarge = false
                for try await part in inbound {
                    switch part {
                    case .head(let head): request = head
                    case .body(var buffer):
                        tooLarge = tooLarge || body.count + buffer.readableBytes > maximumBody
                        if !tooLarge { body += buffer.readBytes(length: buffer.readableBytes) ?? [] }
                    case .end:
                        guard let request else { return }
                        let response =
                            tooLarge
                            ? .text(413, "the request body is larger than \(maximumBody) bytes")
                            : await respond(request.method.rawValue, request.uri, body)
                        try await write(response, version: request.version, to: outbound)
                        return
                    }
                }
            }
        } catch {
            logger.debug("\(name) connection failed", metadata: ["error": "\(error)"])
        }
    }

    private func write(
        _ response: HTTPResponse,
        version: HTTPVersion,
        to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    ) async throws {
        var headers = HTTPHeaders(response.headers)
        headers.add(name: "content-length", value: String(response.body.count))
        headers.add(name: "connection", value: "close")
        try await outbound.write(
            .head(
                HTTPResponseHead(
                    version: version,
                    status: HTTPResponseStatus(statusCode: response.status),
                    headers: headers
                )
            )
        )
        if !response.body.isEmpty {
            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body))))
        }
        try await outbound.write(.end(nil))
    }
}
