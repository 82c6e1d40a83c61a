public import Application
public import Logging
public import NIOCore
import NIOHTTP1
public import NIOPosix
public import ServiceLifecycle

/// The log's tiles over HTTP/1.1 (C2SP tlog-tiles), read-only, run as a `Service`: any static
/// mirror or CDN can serve what it answers. Each response closes its connection.
public final class TileServer: Service, Sendable {
    /// Where to listen.
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        /// 0 picks a free port (`onListening` is told the one bound).
        public var port = 7380
        /// How long a connection may take to send its request and receive the answer before it is
        /// closed, so that a silent client cannot hold the server open on shutdown.
        public var requestTimeout: Duration = .seconds(10)

        public init() {}
    }

    private let configuration: Configuration
    private let responder: TileResponder
    private let logger: Logger
    private let group: any EventLoopGroup
    private let onListening: @Sendable (Int) -> Void

    public init(
        configuration: Configuration,
        backend: any TransparencyBackend,
        logger: Logger,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onListening: @escaping @Sendable (_ port: Int) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.responder = TileResponder(backend: backend)
        self.logger = logger
        self.group = group
        self.onListening = onListening
    }

    public func run() async throws {
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
        logger.info("tiles listening", metadata: ["host": "\(configuration.host)", "port": "\(port)"])
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
                for try await part in inbound {
                    switch part {
                    case .head(let head): request = head
                    case .body: continue
                    case .end:
                        guard let request else { return }
                        let response = await responder.response(method: request.method.rawValue, target: request.uri)
                        var headers = HTTPHeaders(response.headers)
                        headers.add(name: "content-length", value: String(response.body.count))
                        headers.add(name: "connection", value: "close")
                        try await outbound.write(
                            .head(
                                HTTPResponseHead(
                                    version: request.version,
                                    status: HTTPResponseStatus(statusCode: response.status),
                                    headers: headers
                                )
                            )
                        )
                        if !response.body.isEmpty {
                            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body))))
                        }
                        try await outbound.write(.end(nil))
                        return
                    }
                }
            }
        } catch {
            logger.debug("tile connection failed", metadata: ["error": "\(error)"])
        }
    }
}
