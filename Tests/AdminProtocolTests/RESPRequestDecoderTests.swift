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
            inputOutputPairs: [(input, [[ByteBuffer(string: "X"), ByteBuffer(bytes: payload)]])],
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
        #expect(try channel.readInbound(as: [ByteBuffer].self) == [ByteBuffer(string: "PING")])
        #expect(try channel.finish().isClean)
    }

    @Test func dropsAPartialRequestAtEndOfInput() {
        let result = DecoderHarness.decode(Array("PING\r\n*2\r\n$3\r\nGET\r\n$1\r\n".utf8))
        #expect(result.requests == [[ByteBuffer(string: "PING")]])
        #expect(result.error == nil)
    }

    @Test func acceptsRequestsExactlyAtTheLimits() {
        let limits = RESPLimits(maxRequestBytes: 20, maxArguments: 2, maxInlineLength: 8, maxBulkLength: 5)
        #expect(DecoderHarness.decode(Array("12345678\r\n".utf8), limits: limits).requests.count == 1)
        #expect(DecoderHarness.decode(Array("12345678\n".utf8), limits: limits).requests.count == 1)
        #expect(DecoderHarness.decode(Array("*1\r\n$5\r\n12345\r\n".utf8), limits: limits).requests.count == 1)
        let twenty = "*2\r\n$1\r\na\r\n$3\r\nbcd\r\n"
        #expect(twenty.utf8.count == 20)
        #expect(DecoderHarness.decode(Array(twenty.utf8), limits: limits).requests.count == 1)
    }

    // MARK: Errors

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
        ("*1\r\n$5000000\r\n", "TOOLARGE argument over 4194304 bytes"),
        ("*1048577\r\n", "TOOLARGE request over 1048576 arguments"),
        ("*2147483647\r\n", "TOOLARGE request over 1048576 arguments"),
        ("*1000000\r\n", "TOOLARGE request over 4194304 bytes"),
        ("*2\r\n$4194304\r\n", "TOOLARGE request over 4194304 bytes"),
    ])
    func reportsWhatWasWrong(_ input: String, _ message: String) {
        let result = DecoderHarness.decode(Array(input.utf8))
        #expect(result.error?.message == message)
        #expect(result.error?.kind == (message.hasPrefix("PROTO") ? .protocolError : .tooLarge))
    }

    @Test func reportsErrorsAfterEarlierRequests() {
        let result = DecoderHarness.decode(Array("PING\r\n*1\r\n+x\r\nPING\r\n".utf8))
        #expect(result.requests == [[ByteBuffer(string: "PING")]])
        #expect(result.error == .unexpectedByte(UInt8(ascii: "+"), expected: "$"))
    }

    @Test func rejectsOverLimitBulkLengthWithoutWaitingForData() throws {
        var decoder = RESPRequestDecoder(limits: RESPLimits(maxBulkLength: 1000))
        var buffer = ByteBuffer(string: "*2\r\n$3\r\nSET\r\n$1001\r\n")
        #expect(throws: RESPDecodingError.tooLarge("argument over 1000 bytes")) {
            try decoder.decode(buffer: &buffer)
        }
    }

    @Test func rejectsOverLimitRequestWithoutWaitingForData() throws {
        var decoder = RESPRequestDecoder(limits: RESPLimits(maxRequestBytes: 100))
        var buffer = ByteBuffer(string: "*2\r\n$3\r\nSET\r\n$81\r\n")
        #expect(throws: RESPDecodingError.tooLarge("request over 100 bytes")) {
            try decoder.decode(buffer: &buffer)
        }
    }

    @Test func rejectsOverLimitInlineLineBeforeItsNewline() throws {
        let limits = RESPLimits(maxInlineLength: 16)
        var decoder = RESPRequestDecoder(limits: limits)
        var buffer = ByteBuffer(string: String(repeating: "a", count: 17))
        #expect(try decoder.decode(buffer: &buffer) == nil)
        buffer.writeString("b")
        #expect(throws: RESPDecodingError.tooLarge("inline request over 16 bytes")) {
            try decoder.decode(buffer: &buffer)
        }
        let withNewline = DecoderHarness.decode(Array((String(repeating: "a", count: 17) + "\n").utf8), limits: limits)
        #expect(withNewline.error == .tooLarge("inline request over 16 bytes"))
    }

    @Test func rejectsTooManyInlineArguments() {
        let result = DecoderHarness.decode(Array("a b c d\r\n".utf8), limits: RESPLimits(maxArguments: 3))
        #expect(result.error == .tooLarge("request over 3 arguments"))
    }

    @Test func closesTheChannelPipelineWithTheError() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RESPRequestDecoder()))
        #expect(throws: RESPDecodingError.invalidMultibulkLength) {
            try channel.writeInbound(ByteBuffer(string: "*x\r\n"))
        }
        _ = try? channel.finish()
    }

    // MARK: Memory
    /// Each byte arrives in its own 64 KiB read buffer; the decoded arguments must not keep those alive.
    @Test func argumentsOfARequestSpanningReadsDoNotPinReadBuffers() throws {
        var decoder = RESPRequestDecoder()
        var cumulation = ByteBuffer()
        var requests: [[ByteBuffer]] = []
        for byte in "PING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n".utf8 {
            var read = ByteBufferAllocator().buffer(capacity: 64 * 1024)
            read.writeInteger(byte)
            if cumulation.readableBytes == 0 { cumulation = read } else { cumulation.writeBuffer(&read) }
            while let request = try decoder.decode(buffer: &cumulation) { requests.append(request) }
        }
        #expect(requests == [["PING"], ["SET", "k", "value"]].map { $0.map { ByteBuffer(string: $0) } })
        #expect(requests[1].allSatisfy { $0.storageCapacity < 1024 })
    }

    @Test func argumentsOfARequestInOneReadAreSlicesOfIt() throws {
        var decoder = RESPRequestDecoder()
        var buffer = ByteBufferAllocator().buffer(capacity: 4096)
        buffer.writeString("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")
        let request = try #require(try decoder.decode(buffer: &buffer))
        #expect(request.map(\.storageCapacity) == [4096, 4096])
    }

    // MARK: Helpers

    /// Runs NIO's verifier on string inputs and the string arguments each should decode to.
    private func verify(_ pairs: [(String, [[String]])]) throws {
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: pairs.map { input, requests in
                (ByteBuffer(string: input), requests.map { $0.map { ByteBuffer(string: $0) } })
            },
            decoderFactory: { RESPRequestDecoder() }
        )
    }
}
