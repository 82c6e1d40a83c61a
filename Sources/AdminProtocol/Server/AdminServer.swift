public import Application
public import Logging
public import NIOCore
public import NIOPosix
public import ServiceLifecycle
import Synchronization

/// The admin protocol's TCP server, run as a `Service`.
///
/// On graceful shutdown it stops accepting, lets every connection answer the commands it has
/// already received, then closes them.
public final class AdminServer: Service, Sendable {
    /// Where to listen and the bounds on clients; every value has a default.
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        /// 0 picks a free port (`onListening` is told the one bound).
        public var port = 7379
        public var maxConnections = 10_000
        /// Connections silent for this long are closed (nil: never).
        public var idleTimeout: Duration? = .seconds(300)
        public var limits = RESPLimits()
        /// Bytes a connection reads ahead of a running database command before it stops reading.
        public var maxBufferedBytes = 1 << 20
        /// How long shutdown waits for connections to finish.
        public var drainTimeout: Duration = .seconds(10)

        public init() {}
    }

    private let configuration: Configuration
    private let context: CommandContext
    private let logger: Logger
    private let group: any EventLoopGroup
    private let onListening: @Sendable (Int) -> Void
    private let state = Mutex<[ObjectIdentifier: any Channel]>([:])

    public init(
        configuration: Configuration,
        backend: any AdminBackend,
        readModels: (any ReadModelBackend)? = nil,
        transparency: (any TransparencyBackend)? = nil,
        version: String,
        logger: Logger,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onListening: @escaping @Sendable (_ port: Int) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.context = CommandContext(
            backend: backend,
            table: .standard,
            connections: ConnectionRegistry(),
            serverInfo: ServerInfo(version: version, port: configuration.port),
            readModels: readModels,
            transparency: transparency
        )
        self.logger = logger
        self.group = group
        self.onListening = onListening
    }

    public func run() async throws {
        let dispatcher = CommandDispatcher(context: context)
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            // A client's half-close ends its requests, not the connection: its replies still go out.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try self.configure(channel, dispatcher: dispatcher)
                }
            }
            .bind(host: configuration.host, port: configuration.port)
            .get()
        let port = server.localAddress?.port ?? configuration.port
        logger.info("admin protocol listening", metadata: ["host": "\(configuration.host)", "port": "\(port)"])
        onListening(port)

        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                try? await server.closeFuture.get()
            } onCancel: {
                server.close(promise: nil)
            }
        } onGracefulShutdown: {
            server.close(promise: nil)
        }
        await drainConnections()
    }

    private func configure(_ channel: any Channel, dispatcher: CommandDispatcher) throws {
        let id = ObjectIdentifier(channel)
        let accepted = state.withLock { channels in
            guard channels.count < configuration.maxConnections else { return false }
            channels[id] = channel
            return true
        }
        guard accepted else {
            var buffer = channel.allocator.buffer(capacity: 64)
            buffer.writeString("-ERR max number of clients reached\r\n")
            channel.writeAndFlush(buffer).whenComplete { _ in channel.close(promise: nil) }
            return
        }
        channel.closeFuture.whenComplete { _ in _ = self.state.withLock { $0.removeValue(forKey: id) } }
        let handlers = channel.pipeline.syncOperations
        if let timeout = configuration.idleTimeout {
            try handlers.addHandler(IdleStateHandler(readTimeout: TimeAmount(timeout)))
        }
        let session = Session(
            id: context.connections.makeID(),
            remoteAddress: channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
        )
        try handlers.addHandler(
            AdminConnectionHandler(
                dispatcher: dispatcher,
                registry: context.connections,
                session: session,
                limits: configuration.limits,
                maxBufferedBytes: configuration.maxBufferedBytes
            )
        )
    }

    /// Asks every connection to finish what it received, then waits for them to close.
    private func drainConnections() async {
        let channels = state.withLock { Array($0.values) }
        for channel in channels {
            channel.pipeline.fireUserInboundEventTriggered(AdminConnectionHandler.Drain())
        }
        let deadline = ContinuousClock.now + configuration.drainTimeout
        for channel in channels {
            let closed = channel.closeFuture
            while ContinuousClock.now < deadline, channel.isActive {
                try? await Task.sleep(for: .milliseconds(10))
            }
            if channel.isActive { channel.close(promise: nil) }
            try? await closed.get()
        }
        logger.info("admin protocol stopped", metadata: ["drained": "\(channels.count)"])
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
