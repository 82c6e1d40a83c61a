import Application
import EventLog
import NIOCore
import NIOEmbedded
import Testing

@testable import AdminProtocol

/// The connection handler on an embedded channel, with commands that answer on the event loop.
@Suite struct ConnectionHandlerTests {
    /// A backend for commands that never reach it.
    struct NoBackend: AdminBackend {
        static let unused = EventLogError(.unavailable, "no backend in this test")

        func append(
            to stream: StreamName,
            expected: ExpectedVersion,
            events: [NewEvent],
            preconditions: [StreamPrecondition]
        ) async throws(EventLogError) -> AppendResult { throw Self.unused }
        func append(atomically requests: [AppendRequest]) async throws(EventLogError) -> [AppendResult] {
            throw Self.unused
        }
        func read(stream: StreamName, from version: StreamVersion, limit: Int) async throws(EventLogError)
            -> [RecordedEvent]
        { throw Self.unused }
        func readAll(from position: LogPosition, limit: Int) async throws(EventLogError) -> [RecordedEvent] {
            throw Self.unused
        }
        func head() async throws(EventLogError) -> LogHead { throw Self.unused }
        func version(of stream: StreamName) async throws(EventLogError) -> StreamVersion {
            throw Self.unused
        }
        func verify(from position: LogPosition, through end: LogPosition?) async throws(EventLogError)
            -> VerificationReport
        { throw Self.unused }
        func streams(withPrefix prefix: String) async throws(EventLogError) -> [String] {
            throw Self.unused
        }
        func waitForAppend(after position: LogPosition, timeout: Duration) async throws(EventLogError) {
            throw Self.unused
        }
    }

    let registry = ConnectionRegistry()
    let channel = EmbeddedChannel()

    init() throws {
        let context = CommandContext(
            backend: NoBackend(),
            table: .standard,
            connections: registry,
            serverInfo: ServerInfo(version: "test", port: 0)
        )
        let handler = AdminConnectionHandler(
            dispatcher: CommandDispatcher(context: context),
            registry: registry,
            session: Session(id: 1, remoteAddress: "test"),
            limits: RESPLimits(),
            maxBufferedBytes: 1 << 20
        )
        try channel.pipeline.syncOperations.addHandler(handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    }

    /// Sends `bytes` as one read and returns everything the connection wrote back.
    func exchange(_ bytes: String) throws -> String {
        try channel.writeInbound(ByteBuffer(string: bytes))
        var replies = ""
        while var written = try channel.readOutbound(as: ByteBuffer.self) {
            replies += written.readString(length: written.readableBytes) ?? ""
        }
        return replies
    }

    @Test func pipelinedRequestsAreAnsweredInOrderInOneWrite() throws {
        let request = "PING\r\n*1\r\n$4\r\nping\r\n*2\r\n$4\r\nEcHo\r\n$2\r\nhi\r\n*2\r\n$4\r\nPING\r\n$1\r\nx\r\n"
        try channel.writeInbound(ByteBuffer(string: request))
        var written = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(written.readString(length: written.readableBytes) == "+PONG\r\n+PONG\r\n$2\r\nhi\r\n$1\r\nx\r\n")
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
    }

    @Test func repliesStayRightAcrossReadsAndFlushes() throws {
        for round in 0..<50 {
            let requests = String(repeating: "*1\r\n$4\r\nPING\r\n", count: round % 17 + 1)
            #expect(try exchange(requests) == String(repeating: "+PONG\r\n", count: round % 17 + 1))
        }
        // A request split over two reads.
        #expect(try exchange("*2\r\n$4\r\nECHO\r\n$5\r\nhel") == "")
        #expect(try exchange("lo\r\nPING\r\n") == "$5\r\nhello\r\n+PONG\r\n")
    }

    @Test func sessionChangesApplyInRequestOrderAndReachTheRegistry() throws {
        let replies = try exchange(
            "CLIENT GETNAME\r\nCLIENT SETNAME first\r\nCLIENT GETNAME\r\nclient setname second\r\nCLIENT GETNAME\r\n"
        )
        #expect(replies == "$-1\r\n+OK\r\n$5\r\nfirst\r\n+OK\r\n$6\r\nsecond\r\n")
        let session = try #require(registry.all.first)
        #expect(session.name == "second")
        #expect(session.lastCommand == "client getname")
        _ = try exchange("PING\r\n")
        #expect(registry.all.first?.lastCommand == "ping")
    }

    @Test func unknownNamesAnswerErrorsAndTheConnectionGoesOn() throws {
        let replies = try exchange(
            "*1\r\n$6\r\nNOSUCH\r\n*1\r\n$20\r\nABCDEFGHIJKLMNOPQRST\r\n*1\r\n$5\r\nPI\0NG\r\n"
                + "*2\r\n$6\r\nSTREAM\r\n$0\r\n\r\n*2\r\n$6\r\nclient\r\n$3\r\nfoo\r\nPING\r\n"
        )
        #expect(
            replies
                == "-ERR unknown command 'nosuch'\r\n-ERR unknown command 'abcdefghijklmnopqrst'\r\n"
                + "-ERR unknown command 'pi\0ng'\r\n-ERR unknown subcommand ''; try STREAM HELP\r\n"
                + "-ERR unknown subcommand 'foo'; try CLIENT HELP\r\n+PONG\r\n"
        )
    }
}

@Suite struct FirstWordIndexTests {
    @Test func findsWordsInAnyCaseFromTheirBytes() {
        let long = String(repeating: "X", count: 20)
        let index = FirstWordIndex([
            "PING": CommandTable.FirstWord(isNoun: false), "STREAM": CommandTable.FirstWord(isNoun: true),
            long: CommandTable.FirstWord(isNoun: true),
        ])
        #expect(index[ByteBuffer(string: "ping")]?.isNoun == false)
        #expect(index[ByteBuffer(string: "sTrEaM")]?.isNoun == true)
        #expect(index[ByteBuffer(string: long.lowercased())]?.isNoun == true)
        #expect(index[ByteBuffer(string: "PINGS")] == nil)
        #expect(index[ByteBuffer(string: "PIN")] == nil)
        #expect(index[ByteBuffer(string: "PING\0")] == nil)
        #expect(index[ByteBuffer(string: "")] == nil)
        #expect(index[ByteBuffer(bytes: [0x50, 0x49, 0xCE, 0x47])] == nil)
    }

    @Test func everyStandardFirstWordIsFound() {
        let table = CommandTable.standard
        for spec in table.sorted {
            let word = table.firstWords[ByteBuffer(string: String(spec.noun).lowercased())]
            #expect(word != nil, "\(spec.name)")
            if !spec.name.contains(" ") { #expect(word?.command === spec, "\(spec.name)") }
        }
    }
}
