public import AdminProtocol
public import NIOCore
import NIOPosix

/// A plain TCP client for the admin protocol: sends raw bytes or commands, reads whole replies.
///
/// Used by the tests, the benchmarks and the command-line clients; it shares only the reply
/// decoder with the server.
public final class RESPClient {
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var buffer = ByteBuffer()
    private let decoder = RESPReplyDecoder()
    private var scanner = RESPFrameScanner()

    /// Connects to `port` on `host` (the loopback address by default), runs `body`, then closes the connection.
    public static func with<Result>(
        host: String = "127.0.0.1",
        port: Int,
        _ body: (RESPClient) async throws -> Result
    ) async throws -> Result {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                        wrappingChannelSynchronously: channel,
                        configuration: .init(isOutboundHalfClosureEnabled: true)
                    )
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await body(RESPClient(inbound: inbound.makeAsyncIterator(), outbound: outbound))
        }
    }

    private init(
        inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) {
        self.inbound = inbound
        self.outbound = outbound
    }

    /// Sends `bytes` as they are.
    public func send(raw bytes: String) async throws {
        try await outbound.write(ByteBuffer(string: bytes))
    }

    /// Sends `bytes` as they are, which need not be UTF-8.
    public func send(raw bytes: [UInt8]) async throws {
        try await outbound.write(ByteBuffer(bytes: bytes))
    }

    /// Closes the sending side (a TCP half-close, as `nc` and shell pipelines do at the end of
    /// their input); replies can still be read.
    public func finishSending() {
        outbound.finish()
    }

    /// Sends a command as a RESP array of bulk strings and reads its reply.
    public func command(_ arguments: String...) async throws -> RESPValue {
        try await command(arguments)
    }

    public func command(_ arguments: [String]) async throws -> RESPValue {
        try await send(raw: Self.encode(arguments))
        return try await reply()
    }

    /// A RESP array of bulk strings, as clients send commands.
    public static func encode(_ arguments: [String]) -> String {
        "*\(arguments.count)\r\n" + arguments.map { "$\($0.utf8.count)\r\n\($0)\r\n" }.joined()
    }

    /// Reads the next whole reply; throws `ConnectionClosed` when the server closed the connection.
    public func reply() async throws -> RESPValue {
        var bytes = try await replyBytes()
        guard let value = try decoder.decode(&bytes) else {
            throw RESPDecodingError.protocolError("a reply ended before its last element")
        }
        return value
    }

    /// Reads the next whole reply without decoding it: its bytes, for a reader that knows its
    /// shape (an export's pages of events).
    public func replyBytes() async throws -> ByteBuffer {
        while true {
            if let length = scanner.wholeReplyLength(in: buffer), let reply = buffer.readSlice(length: length) {
                scanner = RESPFrameScanner()
                return reply
            }
            try await receive()
        }
    }

    /// Adds the next bytes from the server to the buffer. Bytes already read are dropped on the
    /// way, so that a long stream of replies (an export) does not keep them all.
    private func receive() async throws {
        guard var more = try await inbound.next() else { throw ConnectionClosed() }
        if buffer.readableBytes == 0 {
            buffer = more
            return
        }
        if buffer.readerIndex >= 1 << 20 { buffer.discardReadBytes() }
        buffer.writeBuffer(&more)
    }

    /// True once the server has closed the connection (reads until end of stream).
    public func isClosedByServer() async -> Bool {
        do {
            while try await inbound.next() != nil {}
            return true
        } catch {
            return true
        }
    }

    public struct ConnectionClosed: Error {}
}

extension RESPValue {
    /// The value as text: bulk and simple strings, errors, and verbatim strings.
    public var text: String? {
        switch self {
        case .bulkString(let buffer): String(buffer: buffer)
        case .simpleString(let text), .error(let text): text
        case .verbatimString(_, let text): text
        case .integer(let value): String(value)
        default: nil
        }
    }

    /// The error code of an error reply (its first word).
    public var errorCode: String? {
        guard case .error(let message) = self else { return nil }
        return String(message.prefix { $0 != " " })
    }

    /// The next cursor and the rows of one page of a list (`[cursor, [rows…]]`, as Redis `SCAN`
    /// answers); nil for any other reply.
    public var page: (cursor: String, rows: [RESPValue])? {
        guard case .array(let parts) = self, parts.count == 2, let cursor = parts[0].text,
            case .array(let rows) = parts[1]
        else { return nil }
        return (cursor, rows)
    }

    /// A field of a map reply, or of a RESP2 flat key-value array.
    public subscript(key: String) -> RESPValue? {
        switch self {
        case .map(let entries): return entries.first { $0.key.text == key }?.value
        case .array(let items):
            return stride(from: 0, to: items.count - 1, by: 2).first { items[$0].text == key }.map { items[$0 + 1] }
        default: return nil
        }
    }
}
