import NIOCore
import Testing

@testable import AdminProtocol

/// Drives a ``RESPRequestDecoder`` the way `ByteToMessageHandler` does, checking after every chunk
/// that the decoder holds no more than its limits allow.
struct DecoderHarness {
    private(set) var decoder: RESPRequestDecoder
    private(set) var cumulation = ByteBuffer()
    /// Every request decoded so far, rejections included, in order.
    private(set) var requests: [RESPRequest] = []
    /// The most bytes left unconsumed after any decode loop.
    private(set) var peakBuffered = 0
    /// The most bytes left unconsumed after a decode loop that ended while a rejected request was being dropped.
    private(set) var peakBufferedWhileDiscarding = 0

    init(limits: RESPLimits = RESPLimits()) {
        decoder = RESPRequestDecoder(limits: limits)
    }

    /// The most bytes the decoder may leave waiting: one header line, one bulk argument or one inline line.
    var bufferBound: Int {
        max(22, decoder.limits.maxBulkLength + 1, decoder.limits.maxInlineLength + 1)
    }

    /// The most bytes the decoder may leave waiting while it drops a rejected request: one header line.
    static let discardingBufferBound = 22

    /// Appends `chunk` and decodes every complete or rejected request.
    mutating func feed(_ chunk: ByteBuffer) throws(RESPDecodingError) {
        if cumulation.readableBytes == 0 {
            cumulation = chunk
        } else {
            cumulation.writeImmutableBuffer(chunk)
        }
        while true {
            let before = cumulation.readerIndex
            guard let request = try decoder.decode(buffer: &cumulation) else { break }
            if cumulation.readerIndex == before { Issue.record("a request must consume bytes") }
            check(request)
        }
        peakBuffered = max(peakBuffered, cumulation.readableBytes)
        if cumulation.readableBytes > bufferBound {
            Issue.record("\(cumulation.readableBytes) bytes buffered, over the bound \(bufferBound)")
        }
        if decoder.heldRequestBytes > decoder.limits.maxRequestBytes {
            Issue.record("\(decoder.heldRequestBytes) request bytes held, over \(decoder.limits.maxRequestBytes)")
        }
        if decoder.isDiscarding {
            peakBufferedWhileDiscarding = max(peakBufferedWhileDiscarding, cumulation.readableBytes)
            if cumulation.readableBytes > Self.discardingBufferBound || decoder.heldRequestBytes != 0 {
                Issue.record(
                    "\(cumulation.readableBytes) bytes buffered and \(decoder.heldRequestBytes) held while discarding"
                )
            }
        }
        if cumulation.readerIndex > 4096 { cumulation.discardReadBytes() }
    }

    /// Signals end of input: decodes what is complete and drops a partial request.
    mutating func finish() throws(RESPDecodingError) {
        while let request = try decoder.decodeLast(buffer: &cumulation, seenEOF: true) {
            check(request)
        }
        if cumulation.readableBytes != 0 { Issue.record("decodeLast left \(cumulation.readableBytes) bytes") }
    }

    private mutating func check(_ request: RESPRequest) {
        switch request {
        case .command(let arguments):
            let limits = decoder.limits
            let longest = max(limits.maxBulkLength, limits.maxInlineLength)
            if arguments.isEmpty || arguments.count > limits.maxArguments
                || arguments.contains(where: { $0.readableBytes > longest })
            {
                Issue.record("request outside the limits: \(arguments)")
            }
        case .rejected(let error):
            if error.kind != .tooLarge { Issue.record("only TOOLARGE rejects a request, got \(error)") }
        }
        requests.append(request)
    }

    /// Decodes `input` fed in chunks of the given sizes (the remainder goes last), then finishes.
    static func decode(
        _ input: [UInt8],
        chunkSizes: [Int] = [],
        limits: RESPLimits = RESPLimits()
    ) -> (requests: [RESPRequest], error: RESPDecodingError?) {
        decodeKeepingHarness(input, chunkSizes: chunkSizes, limits: limits).result
    }

    /// Like ``decode(_:chunkSizes:limits:)``, also returning the harness to inspect what it measured.
    static func decodeKeepingHarness(
        _ input: [UInt8],
        chunkSizes: [Int] = [],
        limits: RESPLimits = RESPLimits()
    ) -> (result: (requests: [RESPRequest], error: RESPDecodingError?), harness: DecoderHarness) {
        var harness = DecoderHarness(limits: limits)
        var remaining = ByteBuffer(bytes: input)
        do throws(RESPDecodingError) {
            for size in chunkSizes where remaining.readableBytes > 0 {
                try harness.feed(remaining.readSlice(length: min(size, remaining.readableBytes))!)
            }
            if remaining.readableBytes > 0 { try harness.feed(remaining) }
            try harness.finish()
            return ((harness.requests, nil), harness)
        } catch {
            return ((harness.requests, error), harness)
        }
    }
}

extension RESPRequest {
    /// A command request with these string arguments.
    static func arguments(_ words: String...) -> RESPRequest {
        .command(words.map { ByteBuffer(string: $0) })
    }

    /// The arguments of a command request as strings; nil for a rejection.
    var strings: [String]? {
        guard case .command(let arguments) = self else { return nil }
        return arguments.map { String(buffer: $0) }
    }
}
