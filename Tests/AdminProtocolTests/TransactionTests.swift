import Application
import Domain
import EventLog
import Testing

@testable import AdminProtocol

/// `MULTI`, `EXEC` and `DISCARD` on the dispatcher, without sockets or a database: what queues,
/// what is refused at once, and Redis' answers around them.
@Suite struct TransactionTests {
    let dispatcher = CommandDispatcher(
        context: CommandContext(
            backend: ConnectionHandlerTests.NoBackend(),
            table: .standard,
            connections: ConnectionRegistry(),
            serverInfo: ServerInfo(version: "test", port: 0)
        )
    )

    func session(_ role: Role = .admin, organization: String? = nil) -> Session {
        var session = Session(id: 1, remoteAddress: "test")
        session.principal = Principal(user: "ada", role: role, organization: organization)
        return session
    }

    func send(_ words: String..., in session: inout Session) async -> RESPValue {
        await dispatcher.run(words, session: &session).value
    }

    @Test func writesQueueCheckedAtOnceAndExecWithNothingQueuedAnswersAnEmptyArray() async {
        var session = session()
        #expect(await send("MULTI", in: &session) == .ok)
        #expect(
            await send("ACTIVITY", "LOG", "ORG", "cbo-one", "KIND", "canvass", "ATTENDANCE", "12", in: &session)
                == .simpleString("QUEUED")
        )
        #expect(
            await send("STREAM", "APPEND", "note-a", "no-stream", #"{"type":"NoteTaken","data":{}}"#, in: &session)
                == .simpleString("QUEUED")
        )
        #expect(session.transaction?.queued.map(\.name) == ["ACTIVITY LOG", "STREAM APPEND"])
        #expect(session.transaction?.isAborted == false)
        #expect(await send("DISCARD", in: &session) == .ok)
        #expect(session.transaction == nil)
        #expect(await send("MULTI", in: &session) == .ok)
        #expect(await send("EXEC", in: &session) == .array([]))
        #expect(session.transaction == nil)
    }

    @Test func redisErrorsAroundTransactions() async {
        var session = session()
        #expect(await send("EXEC", in: &session) == .error("ERR EXEC without MULTI"))
        #expect(await send("DISCARD", in: &session) == .error("ERR DISCARD without MULTI"))
        #expect(await send("MULTI", in: &session) == .ok)
        #expect(await send("MULTI", in: &session) == .error("ERR MULTI calls can not be nested"))
        #expect(session.transaction?.isAborted == false, "a nested MULTI does not abort, as in Redis")
        #expect(await send("DISCARD", in: &session) == .ok)
        var anonymous = Session(id: 2, remoteAddress: "test")
        #expect(await send("MULTI", in: &anonymous) == .error(CaselogError.authenticationRequired.description))
    }

    /// A refusal while queueing answers its error at once and makes `EXEC` answer `EXECABORT`,
    /// whatever the refusal: malformed, unknown, not allowed, or not a command a batch holds.
    @Test func aCommandRefusedWhileQueueingAbortsTheTransaction() async {
        let refusals: [(words: [String], reply: String)] = [
            (["ACTIVITY", "LOG", "ORG", "cbo-one", "KIND", "canvass"], "INVALID attendance: is required"),
            (["ACTIVITY", "LOG", "KIND", "canvass", "ATTENDANCE", "many"], "INVALID attendance:"),
            (["NOSUCH", "thing"], "ERR unknown command 'nosuch'"),
            (["ACTIVITY", "LIST"], "ERR 'activity list' cannot be queued inside MULTI"),
            (["LOG", "HEAD"], "ERR 'log head' cannot be queued inside MULTI"),
            (["STREAM", "APPEND", "note-a", "sometime", "{}"], "INVALID expected:"),
        ]
        for refusal in refusals {
            var session = session()
            _ = await send("MULTI", in: &session)
            _ = await send("CASE", "NOTE", "0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21", "NOTE", "fine", in: &session)
            let reply = await dispatcher.run(refusal.words, session: &session).value
            guard case .error(let text) = reply else {
                Issue.record("\(refusal.words) answered \(reply)")
                continue
            }
            #expect(text.hasPrefix(refusal.reply), "\(text)")
            #expect(session.transaction?.isAborted == true)
            #expect(session.transaction?.queued.count == 1, "the refused command is not queued")
            #expect(await send("EXEC", in: &session) == TransactionCommands.execAbort)
            #expect(session.transaction == nil)
        }
    }

    @Test func onlyAdminsQueueRawAppendsAndReadersQueueNoWrites() async {
        var coordinator = session(.coordinator, organization: "cbo-one")
        _ = await send("MULTI", in: &coordinator)
        let raw = await send("STREAM", "APPEND", "note-a", "any", #"{"type":"NoteTaken","data":{}}"#, in: &coordinator)
        #expect(
            raw
                == .error(
                    "NOPERM coordinator may not run stream append: raw appends bypass the domain's rules; only admins may make them"
                )
        )
        #expect(coordinator.transaction?.isAborted == true)

        var lead = session(.leadership)
        _ = await send("MULTI", in: &lead)
        let write = await send("CASE", "NOTE", "0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21", "NOTE", "x", in: &lead)
        guard case .error(let text) = write else { Issue.record("\(write)"); return }
        #expect(text.hasPrefix("NOPERM"))
    }

    @Test func execRunsWhatWasQueuedOrMakesItAgainForAnotherPrincipal() async throws {
        var coordinator = session(.coordinator, organization: "cbo-one")
        _ = await send("MULTI", in: &coordinator)
        #expect(
            await send("ACTIVITY", "LOG", "KIND", "canvass", "ATTENDANCE", "12", in: &coordinator)
                == .simpleString("QUEUED")
        )
        let queued = try #require(coordinator.transaction?.queued.first)
        guard case .domain(let asQueued) = queued.command else { Issue.record("a domain command queued"); return }
        #expect(asQueued.related.contains("org-cbo-one"), "an activity of the coordinator's own organization")

        let context = dispatcher.context
        guard
            case .domain(let same) = try TransactionCommands.batchCommand(
                queued,
                session: coordinator,
                context: context
            )
        else { Issue.record("a domain command"); return }
        #expect(same.id == asQueued.id, "the command parsed when it queued runs as it is")

        var moved = coordinator
        moved.principal = Principal(user: "ada", role: .coordinator, organization: "cbo-two")
        guard case .domain(let remade) = try TransactionCommands.batchCommand(queued, session: moved, context: context)
        else { Issue.record("a domain command"); return }
        #expect(remade.related.contains("org-cbo-two"), "made again for the principal running it")

        var demoted = coordinator
        demoted.principal = Principal(user: "ada", role: .auditor, organization: nil)
        #expect(throws: CaselogError.self) {
            try TransactionCommands.batchCommand(queued, session: demoted, context: context)
        }
    }

    @Test func aFullTransactionRefusesTheNextCommandWithTooLarge() throws {
        var transaction = Transaction()
        let queued = Transaction.Queued(
            name: "STREAM APPEND",
            command: .append(stream: try StreamName("note-1"), expected: .any, events: []),
            principal: nil,
            arguments: []
        )
        for _ in 0..<Transaction.maxCommands {
            try transaction.queue(queued)
        }
        #expect(throws: CaselogError.self) { try transaction.queue(queued) }
        #expect(transaction.isAborted)
    }

    @Test func execAnswersRefusalsAtTheirIndexAndNilElsewhere() {
        let reply = TransactionCommands.refused(
            [.init(index: 1, error: .invalid("attendance", "must be a whole number"))],
            count: 3
        )
        #expect(reply == .array([.null, .error("INVALID index 1: attendance: must be a whole number"), .null]))
    }
}
