import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing

@testable import AdminProtocol

@Suite struct RESPRequestDecoderTests {
    // MARK: Valid input, fed whole, byte by byte and in batches by NIO's verifier

    @Test func decodesInlineCommands() throws {
        try verify([
            ("PING\r\n", [["PING"]]),
            ("PING\n", [["PING"]]),
            ("  GET   key \r\n", [["GET", "key"]]),
            ("SET k v\r\r\n", [["SET", "k", "v"]]),
            ("$3\r\n", [["$3"]]),
        ])
    }

    @Test func decodesMultibulkRequests() throws {
        try verify([
            ("*1\r\n$4\r\nPING\r\n", [["PING"]]),
            ("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n", [["SET", "k", ""]]),
            ("*2\r\n$4\r\nECHO\r\n$6\r\na\r\nb\nc\r\n", [["ECHO", "a\r\nb\nc"]]),
            ("*1\r\n$10\r\n0123456789\r\n", [["0123456789"]]),
        ])
    }

    @Test func decodesBinaryBulkArguments() throws {
        let payload: [UInt8] = [0, 255, 13, 10, 42, 36]
        var input = ByteBuffer(string: "*2\r\n$1\r\nX\r\n$6\r\n")
        input.writeBytes(payload)
        input.writeString("\r\n")
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [(input, [.command([ByteBuffer(string: "X"), ByteBuffer(bytes: payload)])])],
            decoderFactory: { RESPRequestDecoder() }
        )
    }

    @Test func decodesQuotesAndEscapes() throws {
        try verify([
            (#"SET "a b" 'c\'d' "\x41\n""# + "\r\n", [["SET", "a b", "c'd", "A\n"]]),
            (#"ECHO "tab\there" 'no\tescape'"# + "\n", [["ECHO", "tab\there", #"no\tescape"#]]),
            (#"SET "" ''"# + "\r\n", [["SET", "", ""]]),
        ])
    }

    @Test func decodesPipelinedMixes() throws {
        try verify([
            ("PING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\nECHO \"x y\"\n", [["PING"], ["ECHO", "hi"], ["ECHO", "x y"]]),
            ("*1\r\n$4\r\nPING\r\nPING\r\n*1\r\n$4\r\nPING\r\n", [["PING"], ["PING"], ["PING"]]),
        ])
    }

    @Test func skipsEmptyRequests() throws {
        try verify([
            ("\r\n\n   \r\n\t\n", []),
            ("*0\r\n", []),
            ("*-1\r\n", []),
            ("*0\r\n\r\nPING\r\n", [["PING"]]),
            ("*-1\r\n*1\r\n$1\r\nx\r\n", [["x"]]),
        ])
    }

    @Test func skippedRequestDoesNotStallTheRestOfTheBuffer() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RESPRequestDecoder()))
        try channel.writeInbound(ByteBuffer(string: "*0\r\n\r\nPING\r\n"))
        #expect(try channel.readInbound(as: RESPRequest.self) == .arguments("PING"))
        #expect(try channel.finish().isClean)
    }

    @Test func dropsAPartialRequestAtEndOfInput() {
        let result = DecoderHarness.decode(Array("PING\r\n*2\r\n$3\r\nGET\r\n$1\r\n".utf8))
        #expect(result.requests == [.arguments("PING")])
        #expect(result.error == nil)
    }

    @Test func acceptsRequestsExactlyAtTheLimits() {
        let limits = RESPLimits(maxRequestBytes: 20, maxArguments: 2, maxInlineLength: 8, maxBulkLength: 5)
        #expect(DecoderHarness.decode(Array("12345678\r\n".utf8), limits: limits).requests == [.arguments("12345678")])
        #expect(DecoderHarness.decode(Array("12345678\n".utf8), limits: limits).requests == [.arguments("12345678")])
        #expect(
            DecoderHarness.decode(Array("*1\r\n$5\r\n12345\r\n".utf8), limits: limits).requests == [
                .arguments("12345")
            ]
        )
        let twenty = "*2\r\n$1\r\na\r\n$3\r\nbcd\r\n"
        #expect(twenty.utf8.count == 20)
        #expect(DecoderHarness.decode(Array(twenty.utf8), limits: limits).requests == [.arguments("a", "bcd")])
    }

    // MARK: Protocol errors: thrown, the stream is unreadable

    @Test(arguments: [
        ("*2\r\n+OK\r\n", "PROTO expected '$', got '+'"),
        ("*1\r\n:1\r\n", "PROTO expected '$', got ':'"),
        ("*1\r\n\u{01}", "PROTO expected '$', got '\\x01'"),
        ("*abc\r\n", "PROTO invalid multibulk length"),
        ("*a", "PROTO invalid multibulk length"),
        ("*\r\n", "PROTO invalid multibulk length"),
        ("*01\r\n", "PROTO invalid multibulk length"),
        ("*-0\r\n", "PROTO invalid multibulk length"),
        ("*1\n", "PROTO invalid multibulk length"),
        ("*1\r\r\n", "PROTO invalid multibulk length"),
        ("*99999999999999999999\r\n", "PROTO invalid multibulk length"),
        ("*1\r\n$-1\r\n", "PROTO invalid bulk length"),
        ("*1\r\n$x", "PROTO invalid bulk length"),
        ("*1\r\n$4\nPING\r\n", "PROTO invalid bulk length"),
        ("*1\r\n$2\r\nPING\r\n", "PROTO expected CRLF after bulk argument"),
        ("*1\r\n$4\r\nPINGxy", "PROTO expected CRLF after bulk argument"),
        ("GET \"abc\r\n", "PROTO unbalanced quotes in request"),
        ("GET 'a'b\r\n", "PROTO unbalanced quotes in request"),
    ])
    func throwsProtocolErrors(_ input: String, _ message: String) {
        let result = DecoderHarness.decode(Array(input.utf8))
        #expect(result.error?.message == message)
        #expect(result.error?.kind == .protocolError)
        #expect(result.requests.isEmpty)
    }

    @Test func reportsErrorsAfterEarlierRequests() {
        let result = DecoderHarness.decode(Array("PING\r\n*1\r\n+x\r\nPING\r\n".utf8))
        #expect(result.requests == [.arguments("PING")])
        #expect(result.error == .unexpectedByte(UInt8(ascii: "+"), expected: "$"))
    }

    @Test func closesTheChannelPipelineWithTheError() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RESPRequestDecoder()))
        #expect(throws: RESPDecodingError.invalidMultibulkLength) {
            try channel.writeInbound(ByteBuffer(string: "*x\r\n"))
        }
        _ = try? channel.finish()
    }

    // MARK: Over a limit: rejected as a result, the rest dropped, the stream goes on

    @Test(arguments: [
        ("*1\r\n$5000000\r\n", "TOOLARGE argument over 4194304 bytes"),
        ("*1048577\r\n", "TOOLARGE request over 1048576 arguments"),
        ("*2147483647\r\n", "TOOLARGE request over 1048576 arguments"),
        ("*1000000\r\n", "TOOLARGE request over 4194304 bytes"),
        ("*2\r\n$4194304\r\n", "TOOLARGE request over 4194304 bytes"),
    ])
    func rejectsWhatIsOverTheDefaultLimits(_ input: String, _ message: String) {
        let result = DecoderHarness.decode(Array(input.utf8))
        #expect(result.requests == [.rejected(.tooLarge(String(message.dropFirst("TOOLARGE ".count))))])
        #expect(result.error == nil)
    }

    @Test func rejectsOverLimitBulkLengthWithoutWaitingForData() throws {
        var decoder = RESPRequestDecoder(limits: RESPLimits(maxBulkLength: 1000))
        var buffer = ByteBuffer(string: "*2\r\n$3\r\nSET\r\n$1001\r\n")
        #expect(try decoder.decode(buffer: &buffer) == .rejected(.tooLarge("argument over 1000 bytes")))
        #expect(buffer.readableBytes == 0)
        #expect(decoder.isDiscarding)
    }

    @Test func rejectsOverLimitRequestWithoutWaitingForData() throws {
        var decoder = RESPRequestDecoder(limits: RESPLimits(maxRequestBytes: 100))
        var buffer = ByteBuffer(string: "*2\r\n$3\r\nSET\r\n$81\r\n")
        #expect(try decoder.decode(buffer: &buffer) == .rejected(.tooLarge("request over 100 bytes")))
        #expect(decoder.heldRequestBytes == 0)
    }

    @Test func rejectsOverLimitInlineLineBeforeItsNewline() throws {
        let limits = RESPLimits(maxInlineLength: 16)
        var decoder = RESPRequestDecoder(limits: limits)
        var buffer = ByteBuffer(string: String(repeating: "a", count: 17))
        #expect(try decoder.decode(buffer: &buffer) == nil)
        buffer.writeString("b")
        #expect(try decoder.decode(buffer: &buffer) == .rejected(.tooLarge("inline request over 16 bytes")))
        #expect(buffer.readableBytes == 0)
        let withNewline = DecoderHarness.decode(Array((String(repeating: "a", count: 17) + "\n").utf8), limits: limits)
        #expect(withNewline.requests == [.rejected(.tooLarge("inline request over 16 bytes"))])
        #expect(withNewline.error == nil)
    }

    @Test func rejectsTooManyInlineArguments() {
        let result = DecoderHarness.decode(Array("a b c d\r\n".utf8), limits: RESPLimits(maxArguments: 3))
        #expect(result.requests == [.rejected(.tooLarge("request over 3 arguments"))])
        #expect(result.error == nil)
    }

    /// Each kind of over-limit request, then more requests in the same stream.
    static let overLimitRequests: [(name: String, limits: RESPLimits, wire: String, message: String)] = [
        (
            "too many arguments",
            RESPLimits(maxArguments: 4),
            "*5\r\n" + String(repeating: "$1\r\na\r\n", count: 5),
            "TOOLARGE request over 4 arguments"
        ),
        (
            "too many arguments, some long",
            RESPLimits(maxRequestBytes: 64, maxArguments: 2, maxBulkLength: 16),
            "*3\r\n$4\r\nECHO\r\n$100\r\n\(String(repeating: "x", count: 100))\r\n$0\r\n\r\n",
            "TOOLARGE request over 2 arguments"
        ),
        (
            "too many arguments for the request bytes",
            RESPLimits(maxRequestBytes: 64),
            "*11\r\n" + String(repeating: "$1\r\na\r\n", count: 11),
            "TOOLARGE request over 64 bytes"
        ),
        (
            "too many inline arguments",
            RESPLimits(maxArguments: 4),
            "a b c d e\r\n",
            "TOOLARGE request over 4 arguments"
        ),
        (
            "bulk argument too long",
            RESPLimits(maxRequestBytes: 1024, maxBulkLength: 32),
            "*3\r\n$4\r\nECHO\r\n$40\r\n\(String(repeating: "*\r\n", count: 13))x\r\n$1\r\nb\r\n",
            "TOOLARGE argument over 32 bytes"
        ),
        (
            "last bulk argument too long",
            RESPLimits(maxRequestBytes: 1024, maxBulkLength: 32),
            "*2\r\n$4\r\nECHO\r\n$1000\r\n\(String(repeating: "PING\r\n", count: 166))PING\r\n",
            "TOOLARGE argument over 32 bytes"
        ),
        (
            "request bytes too many mid-request",
            RESPLimits(maxRequestBytes: 64, maxBulkLength: 32),
            "*4\r\n$4\r\nECHO\r\n$30\r\n\(String(repeating: "y", count: 30))\r\n$20\r\n"
                + "\(String(repeating: "z", count: 20))\r\n$2\r\n\r\n\r\n",
            "TOOLARGE request over 64 bytes"
        ),
        (
            "inline line too long",
            RESPLimits(maxInlineLength: 16),
            "ECHO " + String(repeating: "a", count: 100) + "\r\n",
            "TOOLARGE inline request over 16 bytes"
        ),
        (
            "inline line one byte too long",
            RESPLimits(maxInlineLength: 16),
            String(repeating: "a", count: 17) + "\n",
            "TOOLARGE inline request over 16 bytes"
        ),
        (
            "inline line too long, its rest looking like multibulk",
            RESPLimits(maxInlineLength: 16),
            String(repeating: "a", count: 18) + "*1\r\n",
            "TOOLARGE inline request over 16 bytes"
        ),
    ]

    static let nextRequests = "PING\r\n*2\r\n$4\r\nECHO\r\n$5\r\nafter\r\n"

    @Test(arguments: overLimitRequests.indices)
    func nextRequestDecodesAfterAnOverLimitOne(_ index: Int) {
        let (name, limits, wire, message) = Self.overLimitRequests[index]
        let input = Array((wire + Self.nextRequests + wire + Self.nextRequests).utf8)
        let rejected = RESPRequest.rejected(.tooLarge(String(message.dropFirst("TOOLARGE ".count))))
        let expected: [RESPRequest] = [rejected, .arguments("PING"), .arguments("ECHO", "after")]
        let splits: [(String, [Int])] = [
            ("whole", []),
            ("byte by byte", Array(repeating: 1, count: input.count)),
            ("in chunks of 7", Array(repeating: 7, count: input.count / 7)),
            ("in chunks of 30", Array(repeating: 30, count: input.count / 30)),
        ]
        for (split, chunkSizes) in splits {
            let (result, harness) = DecoderHarness.decodeKeepingHarness(input, chunkSizes: chunkSizes, limits: limits)
            #expect(result.error == nil, "\(name), \(split)")
            #expect(result.requests == expected + expected, "\(name), \(split)")
            #expect(harness.peakBufferedWhileDiscarding <= DecoderHarness.discardingBufferBound, "\(name), \(split)")
            #expect(!harness.decoder.isDiscarding, "\(name), \(split)")
        }
    }

    @Test(arguments: overLimitRequests.indices)
    func nextRequestDecodesAfterAnOverLimitOneThroughTheHandler(_ index: Int) throws {
        let (_, limits, wire, message) = Self.overLimitRequests[index]
        let rejected = RESPRequest.rejected(.tooLarge(String(message.dropFirst("TOOLARGE ".count))))
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [
                (
                    ByteBuffer(string: wire + Self.nextRequests),
                    [rejected, .arguments("PING"), .arguments("ECHO", "after")]
                )
            ],
            decoderFactory: { RESPRequestDecoder(limits: limits) }
        )
    }

    @Test func rejectionsInARowStayBounded() {
        let limits = RESPLimits(maxRequestBytes: 64, maxArguments: 4, maxInlineLength: 16, maxBulkLength: 32)
        let oversized = "*2\r\n$4\r\nECHO\r\n$100\r\n\(String(repeating: "q", count: 100))\r\n"
        let input = Array((String(repeating: oversized, count: 500) + "PING\r\n").utf8)
        for chunkSizes in [[], Array(repeating: 1, count: input.count), Array(repeating: 13, count: input.count / 13)] {
            let (result, harness) = DecoderHarness.decodeKeepingHarness(input, chunkSizes: chunkSizes, limits: limits)
            #expect(result.error == nil)
            let rejected = RESPRequest.rejected(.tooLarge("argument over 32 bytes"))
            #expect(Array(result.requests.dropLast()) == Array(repeating: rejected, count: 500))
            #expect(result.requests.last == .arguments("PING"))
            #expect(harness.peakBuffered <= DecoderHarness.discardingBufferBound)
        }
    }

    @Test func rejectionComesBeforeTheOversizedBytes() throws {
        var decoder = RESPRequestDecoder(limits: RESPLimits(maxArguments: 2))
        var buffer = ByteBuffer(string: "PING\r\n*3\r\n")
        #expect(try decoder.decode(buffer: &buffer) == .arguments("PING"))
        #expect(try decoder.decode(buffer: &buffer) == .rejected(.tooLarge("request over 2 arguments")))
        #expect(try decoder.decode(buffer: &buffer) == nil)
        buffer.writeString("$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r")
        #expect(try decoder.decode(buffer: &buffer) == nil)
        #expect(buffer.readableBytes == 1)
        buffer.writeString("\nPING\r\n")
        #expect(try decoder.decode(buffer: &buffer) == .arguments("PING"))
        #expect(try decoder.decode(buffer: &buffer) == nil)
    }

    @Test(arguments: [
        ("*3\r\n$1\r\na\r\n+x\r\n", RESPDecodingError.unexpectedByte(UInt8(ascii: "+"), expected: "$")),
        ("*3\r\n$1\r\na\r\n$-1\r\n", RESPDecodingError.invalidBulkLength),
        ("*3\r\n$1\r\na\r\n$x\r\n", RESPDecodingError.invalidBulkLength),
        ("*3\r\n$1\r\nab\r\n", RESPDecodingError.missingBulkTerminator),
        ("*3\r\n$1\r\na\n$1\r\n", RESPDecodingError.missingBulkTerminator),
        ("*1\r\n$50\r\n" + String(repeating: "x", count: 51) + "\r\n", RESPDecodingError.missingBulkTerminator),
    ])
    func malformedFramingWhileDroppingIsStillAProtocolError(_ input: String, _ error: RESPDecodingError) {
        let limits = RESPLimits(maxArguments: 2, maxBulkLength: 10)
        let input = Array((input + "PING\r\n").utf8)
        for chunkSizes in [[], Array(repeating: 1, count: input.count)] {
            let result = DecoderHarness.decode(input, chunkSizes: chunkSizes, limits: limits)
            #expect(result.requests.count == 1)
            #expect(result.requests.first.map { if case .rejected = $0 { true } else { false } } == true)
            #expect(result.error == error)
        }
    }

    @Test func rejectedRequestCutOffAtEndOfInputIsDropped() throws {
        let limits = RESPLimits(maxBulkLength: 10)
        let result = DecoderHarness.decode(Array("*1\r\n$50\r\nabc".utf8), limits: limits)
        #expect(result.requests == [.rejected(.tooLarge("argument over 10 bytes"))])
        #expect(result.error == nil)
        let inline = DecoderHarness.decode(
            Array(String(repeating: "a", count: 40).utf8),
            limits: RESPLimits(maxInlineLength: 16)
        )
        #expect(inline.requests == [.rejected(.tooLarge("inline request over 16 bytes"))])
    }

    // MARK: Memory

    /// 8 MiB of an argument over the limit, in 64 KiB reads, are dropped as they arrive.
    @Test func oversizedArgumentIsDroppedWithoutBeingHeld() throws {
        var harness = DecoderHarness(limits: RESPLimits(maxBulkLength: 1024))
        let size = 8 * 1024 * 1024
        try harness.feed(ByteBuffer(string: "*2\r\n$4\r\nECHO\r\n$\(size)\r\n"))
        #expect(harness.requests == [.rejected(.tooLarge("argument over 1024 bytes"))])
        let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 64 * 1024)
        for _ in 0..<(size / chunk.readableBytes) { try harness.feed(chunk) }
        try harness.feed(ByteBuffer(string: "\r\nPING\r\n"))
        #expect(harness.requests == [.rejected(.tooLarge("argument over 1024 bytes")), .arguments("PING")])
        #expect(harness.peakBuffered <= DecoderHarness.discardingBufferBound)
    }

    /// Each byte arrives in its own 64 KiB read buffer; the decoded arguments must not keep those alive.
    @Test func argumentsOfARequestSpanningReadsDoNotPinReadBuffers() throws {
        var decoder = RESPRequestDecoder()
        var cumulation = ByteBuffer()
        var requests: [RESPRequest] = []
        for byte in "PING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n".utf8 {
            var read = ByteBufferAllocator().buffer(capacity: 64 * 1024)
            read.writeInteger(byte)
            if cumulation.readableBytes == 0 { cumulation = read } else { cumulation.writeBuffer(&read) }
            while let request = try decoder.decode(buffer: &cumulation) { requests.append(request) }
        }
        #expect(requests == [.arguments("PING"), .arguments("SET", "k", "value")])
        guard case .command(let arguments) = requests.last else { return }
        #expect(arguments.allSatisfy { $0.storageCapacity < 1024 })
    }

    @Test func argumentsOfARequestInOneReadAreSlicesOfIt() throws {
        var decoder = RESPRequestDecoder()
        var buffer = ByteBufferAllocator().buffer(capacity: 4096)
        buffer.writeString("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")
        let request = try decoder.decode(buffer: &buffer)
        guard case .command(let arguments) = request else {
            Issue.record("expected a command, got \(String(describing: request))")
            return
        }
        #expect(arguments.map(\.storageCapacity) == [4096, 4096])
    }

    // MARK: Helpers

    /// Runs NIO's verifier on string inputs and the string arguments each should decode to.
    private func verify(_ pairs: [(String, [[String]])]) throws {
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: pairs.map { input, requests in
                (ByteBuffer(string: input), requests.map { RESPRequest.command($0.map { ByteBuffer(string: $0) }) })
            },
            decoderFactory: { RESPRequestDecoder() }
        )
    }
}
