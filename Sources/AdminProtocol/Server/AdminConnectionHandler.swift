import NIOCore

/// One client connection: decoded requests in, encoded replies out, strictly in request order.
///
/// Immediate commands answer on the event loop and are flushed once per read; a deferred command
/// (database work) holds back the requests behind it until its reply is written, so pipelined
/// commands see the session each previous one left (`AUTH` then `LOG HEAD` works in one write).
/// A request the decoder rejected (`TOOLARGE`) is answered in its turn and the connection goes on;
/// only a `PROTO` error, which leaves the byte stream unreadable, closes it.
final class AdminConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = RESPRequest
    typealias OutboundOut = ByteBuffer

    /// Sent down the pipeline when the server shuts down: finish what was received, then close.
    struct Drain: Sendable {}

    private let dispatcher: CommandDispatcher
    private let registry: ConnectionRegistry
    private let maxQueuedRequests: Int
    private var session: Session
    private var queued = CircularBuffer<RESPRequest>()
    private var isBusy = false
    private var isClosing = false
    private var isDraining = false
    private var isTailing = false
    /// Whether reading from the socket stopped because too many requests were queued.
    private var isReadingPaused = false
    /// Replies encoded since the last flush, written as one buffer.
    private var output = ByteBuffer()
    /// The session as the registry last saw it; it is updated only when something changed.
    private var registered: Session?
    private var tailTask: Task<Void, Never>?

    init(dispatcher: CommandDispatcher, registry: ConnectionRegistry, session: Session, maxQueuedRequests: Int) {
        self.dispatcher = dispatcher
        self.registry = registry
        self.session = session
        self.maxQueuedRequests = maxQueuedRequests
    }

    func channelActive(context: ChannelHandlerContext) {
        registry.update(session)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        registry.remove(session.id)
        tailTask?.cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !isClosing else { return }
        queued.append(unwrapInboundIn(data))
        if queued.count >= maxQueuedRequests, !isReadingPaused {
            isReadingPaused = true
            context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
        }
        processQueue(context: context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushIfNeeded(context: context)
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is Drain {
            isDraining = true
            closeIfDrained(context: context)
        } else if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read, !isBusy, !isTailing {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? RESPDecodingError {
            // Only PROTO is thrown: the byte stream cannot be read any further. Answer what was wrong, then close.
            write(.error(error.message), context: context)
            flushIfNeeded(context: context)
        }
        isClosing = true
        context.close(promise: nil)
    }

    private func processQueue(context: ChannelHandlerContext) {
        while !isBusy, !isClosing, let request = queued.popFirst() {
            let arguments: [ByteBuffer]
            switch request {
            case .command(let command):
                arguments = command
            case .rejected(let error):
                // Over a limit: the decoder dropped the request, the connection stays usable.
                write(.error(error.message), context: context)
                continue
            }
            switch dispatcher.dispatch(arguments, session: &session) {
            case .reply(let reply):
                handle(reply, context: context)
            case .deferred(let work):
                isBusy = true
                let promise = context.eventLoop.makePromise(of: CommandReply.self)
                promise.completeWithTask { await work() }
                let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                promise.futureResult.whenSuccess { reply in
                    let (handler, context) = bound.value
                    handler.isBusy = false
                    if var updated = reply.session {
                        updated.lastCommand = handler.session.lastCommand
                        handler.session = updated
                    }
                    handler.handle(reply, context: context)
                    handler.processQueue(context: context)
                    // No read completes after this: flush what the queue answered, too.
                    handler.flushIfNeeded(context: context)
                }
            }
        }
        if queued.isEmpty, !isClosing, isReadingPaused {
            isReadingPaused = false
            context.channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
        }
        closeIfDrained(context: context)
    }

    private func handle(_ reply: CommandReply, context: ChannelHandlerContext) {
        if registered != session {
            registry.update(session)
            registered = session
        }
        write(reply.value, context: context)
        switch reply.action {
        case .none:
            break
        case .close:
            isClosing = true
            flushIfNeeded(context: context)
            context.close(promise: nil)
        case .tail(let position):
            flushIfNeeded(context: context)
            startTail(from: position, context: context)
        }
    }

    private func write(_ value: RESPValue, context: ChannelHandlerContext) {
        RESPEncoder.encode(value, protocolVersion: session.protocolVersion, into: &output)
    }

    private func flushIfNeeded(context: ChannelHandlerContext) {
        guard output.readableBytes > 0 else { return }
        context.writeAndFlush(wrapOutboundOut(output), promise: nil)
        output = context.channel.allocator.buffer(capacity: 256)
    }

    private func closeIfDrained(context: ChannelHandlerContext) {
        guard isDraining, !isBusy, queued.isEmpty, !isClosing else { return }
        isClosing = true
        flushIfNeeded(context: context)
        context.close(promise: nil)
    }

    /// Pushes every committed event from `position` on until the connection closes.
    private func startTail(from position: Int64, context: ChannelHandlerContext) {
        tailTask?.cancel()
        isTailing = true
        let channel = context.channel
        let backend = dispatcher.context.backend
        let version = session.protocolVersion
        tailTask = Task {
            await LogTail(backend: backend, channel: channel, protocolVersion: version).run(from: position)
        }
    }
}
