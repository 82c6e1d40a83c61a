import EventLog
import NIOCore

/// One client connection: bytes in, requests decoded one at a time, encoded replies out,
/// strictly in request order.
///
/// Immediate commands answer on the event loop and are flushed once per read; a deferred command
/// (database work) holds back the requests behind it until its reply is written, so pipelined
/// commands see the session each previous one left (`AUTH` then `LOG HEAD` works in one write).
/// Requests are decoded only when their turn comes, so bytes read ahead wait undecoded; reading
/// pauses while a deferred command runs and `maxBufferedBytes` wait behind it.
/// When the client half-closes, every request it sent is answered before the connection closes.
/// A request the decoder rejected (`TOOLARGE`) is answered in its turn and the connection goes on;
/// only a `PROTO` error, which leaves the byte stream unreadable, closes it.
final class AdminConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Sent down the pipeline when the server shuts down: finish what was received, then close.
    struct Drain: Sendable {}

    /// The largest output buffer kept for the next replies; a larger one (a long reply) is given back.
    private static let reusedOutputCapacity = 1 << 10

    private let dispatcher: CommandDispatcher
    private let registry: ConnectionRegistry
    private let maxBufferedBytes: Int
    // The state touched for every request is exempt from dynamic exclusivity checks: the handler
    // runs only on its channel's event loop and never lends these properties to overlapping
    // accesses (each check cost a few percent of pipelined throughput).
    @exclusivity(unchecked) private var session: Session
    @exclusivity(unchecked) private var decoder: RESPRequestDecoder
    /// Bytes read and not yet decoded.
    @exclusivity(unchecked) private var unread = ByteBuffer()
    @exclusivity(unchecked) private var isBusy = false
    @exclusivity(unchecked) private var isClosing = false
    private var isDraining = false
    /// Whether reading from the socket stopped because too many bytes wait behind a deferred command.
    @exclusivity(unchecked) private var isReadingPaused = false
    /// Replies encoded since the last flush, written as one buffer.
    @exclusivity(unchecked) private var output = ByteBuffer()
    /// The last command of the session as the registry last saw it. A session changes only in
    /// its last command or through a reply that carries it, so nothing else needs comparing.
    @exclusivity(unchecked) private var registeredCommand: String
    private var tailTask: Task<Void, Never>?
    /// The task feeding each subscribed channel, with the number it was started as, so that a
    /// batch read for an earlier subscription to the same channel is dropped.
    private var feeds: [String: (number: Int, task: Task<Void, Never>)] = [:]
    private var feedsStarted = 0

    init(
        dispatcher: CommandDispatcher,
        registry: ConnectionRegistry,
        session: Session,
        limits: RESPLimits,
        maxBufferedBytes: Int
    ) {
        self.dispatcher = dispatcher
        self.registry = registry
        self.session = session
        self.registeredCommand = session.lastCommand
        self.decoder = RESPRequestDecoder(limits: limits)
        self.maxBufferedBytes = maxBufferedBytes
    }

    func channelActive(context: ChannelHandlerContext) {
        publishSession()
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        registry.remove(session.id)
        tailTask?.cancel()
        for feed in feeds.values { feed.task.cancel() }
        feeds = [:]
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !isClosing else { return }
        var bytes = unwrapInboundIn(data)
        if unread.readableBytes == 0 {
            unread = bytes
        } else {
            unread.writeBuffer(&bytes)
        }
        processRequests(context: context)
        if isBusy, unread.readableBytes >= maxBufferedBytes, !isReadingPaused {
            isReadingPaused = true
            context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushIfNeeded(context: context)
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is Drain || event as? ChannelEvent == .inputClosed {
            // Shutdown, or the client closed its sending side (as `nc` and pipelines do): answer
            // every request read, then close.
            isDraining = true
            closeIfDrained(context: context)
        } else if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read, !isBusy, tailTask == nil,
            feeds.isEmpty
        {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        isClosing = true
        context.close(promise: nil)
    }

    /// The next request of the bytes read, if they hold a whole one (or a rejected one); on a
    /// `PROTO` error answers what was wrong and closes, since the stream cannot be read further.
    private func nextRequest(context: ChannelHandlerContext) -> RESPRequest? {
        do {
            return try decoder.decode(buffer: &unread)
        } catch {
            write(.error(error.message), context: context)
            flushIfNeeded(context: context)
            isClosing = true
            context.close(promise: nil)
            return nil
        }
    }

    private func processRequests(context: ChannelHandlerContext) {
        while !isBusy, !isClosing, let request = nextRequest(context: context) {
            let arguments: [ByteBuffer]
            // Consumed, like the arguments below: the decoder reuses their array only if nothing else holds it.
            switch consume request {
            case .command(let command):
                arguments = command
            case .rejected(let error):
                // Over a limit: the decoder dropped the request, the connection stays usable.
                write(.error(error.message), context: context)
                continue
            }
            let outcome = dispatcher.dispatch(arguments, session: &session)
            decoder.recycle(consume arguments)
            switch outcome {
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
                    handler.handle(reply, context: context)
                    handler.processRequests(context: context)
                    // No read completes after this: flush what the queue answered, too.
                    handler.flushIfNeeded(context: context)
                }
            }
        }
        if unread.readableBytes == 0 {
            // Let go of the read buffer so that the channel reuses it for the next read: clearing a
            // buffer the channel still holds would allocate a new one.
            unread = ByteBuffer()
        } else if unread.readerIndex >= 64 << 10 {
            unread.discardReadBytes()
        }
        if !isBusy, !isClosing, isReadingPaused {
            isReadingPaused = false
            context.channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
        }
        closeIfDrained(context: context)
    }

    /// Applies the session the reply carries, if any, publishes a changed session, and writes the reply.
    private func handle(_ reply: CommandReply, context: ChannelHandlerContext) {
        if var updated = reply.session {
            updated.lastCommand = session.lastCommand
            session = updated
            publishSession()
        } else if registeredCommand != session.lastCommand {
            publishSession()
        }
        reply.encode(protocolVersion: session.protocolVersion, into: &output)
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
        case .subscriptions(let change):
            for value in change.furtherReplies { write(value, context: context) }
            flushIfNeeded(context: context)
            for name in change.stop { feeds.removeValue(forKey: name)?.task.cancel() }
            for feed in change.start { startFeed(feed, context: context) }
        }
    }

    /// Shows the session as it is now to `CLIENT LIST` and `INFO`.
    private func publishSession() {
        registry.update(session)
        registeredCommand = session.lastCommand
    }

    private func write(_ value: RESPValue, context: ChannelHandlerContext) {
        RESPEncoder.encode(value, protocolVersion: session.protocolVersion, into: &output)
    }

    /// Writes the replies encoded since the last flush; `promise` completes once they are written.
    private func flushIfNeeded(context: ChannelHandlerContext, promise: EventLoopPromise<Void>? = nil) {
        guard output.readableBytes > 0 else {
            promise?.succeed()
            return
        }
        context.writeAndFlush(wrapOutboundOut(output), promise: promise)
        if output.capacity > Self.reusedOutputCapacity {
            output = context.channel.allocator.buffer(capacity: 256)
        } else {
            // Once the socket took the bytes, the channel no longer holds the buffer and it is
            // reused as it is; one still waiting to be written is left to the channel.
            output.clear()
        }
    }

    private func closeIfDrained(context: ChannelHandlerContext) {
        // Not busy: every whole request read so far was answered; what remains is part of one.
        guard isDraining, !isBusy, !isClosing else { return }
        isClosing = true
        flushIfNeeded(context: context)
        context.close(promise: nil)
    }

    /// Pushes every committed event from `position` on until the connection closes.
    private func startTail(from position: Int64, context: ChannelHandlerContext) {
        tailTask?.cancel()
        let channel = context.channel
        let backend = dispatcher.context.backend
        let version = session.protocolVersion
        tailTask = Task {
            await LogTail(backend: backend).push(from: position, to: channel, protocolVersion: version)
        }
    }

    /// Sends the events of `feed`'s channel as `[message, channel, event-json]` until it is unsubscribed.
    private func startFeed(_ feed: ChannelFeed, context: ChannelHandlerContext) {
        feedsStarted += 1
        let number = feedsStarted
        let name = feed.channel.name
        let backend = dispatcher.context.backend
        let eventLoop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: eventLoop)
        let task = Task {
            var feed = feed
            await LogTail(backend: backend).run(from: feed.next) { events in
                let carried = feed.take(events)
                guard !carried.isEmpty else { return true }
                let written = eventLoop.flatSubmit {
                    let (handler, context) = bound.value
                    return handler.deliver(carried, on: name, feed: number, context: context)
                }
                return (try? await written.get()) ?? false
            }
        }
        feeds[name] = (number, task)
    }

    /// Writes the messages of one batch, unless the channel was unsubscribed meanwhile; answers
    /// whether the feed goes on, once the messages are written.
    private func deliver(_ events: [RecordedEvent], on name: String, feed number: Int, context: ChannelHandlerContext)
        -> EventLoopFuture<Bool>
    {
        guard feeds[name]?.number == number, !isClosing else { return context.eventLoop.makeSucceededFuture(false) }
        for event in events {
            write(.push([.bulk("message"), .bulk(name), .bulk(EventJSON.render(event))]), context: context)
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        flushIfNeeded(context: context, promise: written)
        return written.futureResult.map { true }
    }
}
