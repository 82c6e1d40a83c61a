public import Application
public import Logging
public import NIOCore
public import NIOPosix
public import ServiceLifecycle

/// The log's tiles over HTTP/1.1 (C2SP tlog-tiles), read-only, run as a `Service`: any static
/// mirror or CDN can serve what it answers. Each response closes its connection.
public final class TileServer: Service, Sendable {
    /// Where to listen.
    public typealias Configuration = HTTPServerConfiguration

    private let server: HTTPServer

    public init(
        configuration: Configuration,
        backend: any TransparencyBackend,
        logger: Logger,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onListening: @escaping @Sendable (_ port: Int) -> Void = { _ in }
    ) {
        let responder = TileResponder(backend: backend)
        server = HTTPServer(
            configuration: configuration,
            name: "tiles",
            maximumBody: 0,
            logger: logger,
            group: group,
            onListening: onListening
        ) { method, target, _ in
            await responder.response(method: method, target: target)
        }
    }

    public func run() async throws {
        try await server.run()
    }
}
