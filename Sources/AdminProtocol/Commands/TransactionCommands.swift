import Application
import Domain
import EventLog
import NIOCore

/// `MULTI`, `EXEC` and `DISCARD`, as Redis has them (without `WATCH`): after `MULTI` the domain's
/// writes and `STREAM APPEND` queue, each checked at once and answered `+QUEUED`; `EXEC` decides
/// them all, each on the log plus the batch's earlier commands, and appends all their events in
/// one transaction or none (`CommandService.run(batch:by:)`).
enum TransactionCommands {
    static var all: [CommandSpec] { [multi, exec, discard] }

    /// Commands that run at once inside a transaction instead of queueing, as in Redis.
    static let immediate: Set<String> = ["MULTI", "EXEC", "DISCARD", "QUIT"]

    /// The domain's writes by name (`ACTIVITY LOG`).
    private static let domainWrites = Dictionary(
        DomainGrammar.catalog.map { ("\($0.noun) \($0.verb)", $0) },
        uniquingKeysWith: { first, _ in first }
    )

    /// Redis' answer to `EXEC` after a command was refused while queueing.
    static let execAbort = RESPValue.error("EXECABORT Transaction discarded because of previous errors.")

    static let multi = CommandSpec(
        "MULTI",
        arguments: 0...0,
        access: .authenticated,
        summary:
            "Starts a transaction: domain writes and STREAM APPEND queue (+QUEUED) until EXEC appends all of them or none; DISCARD drops them.",
        handler: .immediate { session, _, _ in
            guard session.transaction == nil else { throw CaselogError.syntax("MULTI calls can not be nested") }
            var session = session
            session.transaction = Transaction()
            return CommandReply(.ok, session: session)
        }
    )

    static let discard = CommandSpec(
        "DISCARD",
        arguments: 0...0,
        access: .authenticated,
        summary: "Drops the commands queued since MULTI and ends the transaction.",
        handler: .immediate { session, _, _ in
            guard session.transaction != nil else { throw CaselogError.syntax("DISCARD without MULTI") }
            var session = session
            session.transaction = nil
            return CommandReply(.ok, session: session)
        }
    )

    static let exec = CommandSpec(
        "EXEC",
        arguments: 0...1,
        access: .authenticated,
        write: true,
        synopsis: "[CHECK]",
        summary:
            "Runs the commands queued since MULTI: each one's reply in an array, all appended in one transaction; or, when any is refused, nothing appended and each refused one's error at its index (the others nil). EXEC CHECK decides them the same way and appends nothing.",
        handler: .deferred { invocation in
            var session = invocation.session
            guard let transaction = session.transaction else { throw CaselogError.syntax("EXEC without MULTI") }
            let appending = invocation.arguments.isEmpty
            if !appending, try invocation.arguments.name(0, field: "option") != "CHECK" {
                throw CaselogError.syntax("syntax error: EXEC takes no argument, or CHECK")
            }
            session.transaction = nil
            guard !transaction.isAborted else { return CommandReply(execAbort, session: session) }
            let value = await run(transaction, session: session, context: invocation.context, appending: appending)
            return CommandReply(value, session: session)
        }
    )

    /// Queues a request that arrived inside a transaction, or refuses it (and aborts the transaction).
    static func queue(
        _ spec: CommandSpec,
        _ arguments: CommandArguments,
        session: inout Session,
        context: CommandContext
    ) -> CommandReply {
        do {
            try CommandDispatcher.authorize(spec, session)
            let command = try batchCommand(spec.name, arguments, session: session, context: context)
            let words = try (0..<arguments.count).map { index throws(CaselogError) in
                try arguments.string(index, field: "argument")
            }
            try session.transaction?.queue(
                Transaction.Queued(name: spec.name, command: command, principal: session.principal, arguments: words)
            )
            return CommandReply(.simpleString("QUEUED"))
        } catch {
            session.transaction?.abort()
            return CommandReply(error.reply)
        }
    }

    /// The batch command a queued request stands for; refuses the commands a batch cannot hold.
    static func batchCommand(
        _ name: String,
        _ arguments: CommandArguments,
        session: Session,
        context: CommandContext
    ) throws(CaselogError) -> CommandService.BatchCommand {
        if name == "STREAM APPEND" {
            let (stream, expected, events) = try LogCommands.appendRequest(
                arguments,
                session: session,
                today: context.commands.today()
            )
            return .append(stream: stream, expected: expected, events: events)
        }
        guard let description = domainWrites[name] else {
            throw .syntax(
                "'\(name.lowercased())' cannot be queued inside MULTI: a transaction holds the domain's writes and STREAM APPEND; run reads before MULTI or after EXEC"
            )
        }
        return .domain(try DomainCommands.parse(description, arguments, session: session))
    }

    /// The batch command a queued one stands for when `EXEC` runs it: access is checked again (it
    /// may have changed since the command queued), and a command queued for another principal
    /// is made again for the one running it.
    static func batchCommand(
        _ queued: Transaction.Queued,
        session: Session,
        context: CommandContext
    ) throws(CaselogError) -> CommandService.BatchCommand {
        guard let spec = context.table.commands[queued.name] else {
            throw CaselogError.syntax("unknown command '\(queued.name.lowercased())'")
        }
        try CommandDispatcher.authorize(spec, session)
        guard queued.principal == session.principal else {
            let arguments = CommandArguments(queued.arguments.map { ByteBuffer(string: $0) })
            return try batchCommand(queued.name, arguments, session: session, context: context)
        }
        return queued.command
    }

    /// Runs the queued commands as one batch: every command's reply, or, when any was refused,
    /// its error at its index and nil elsewhere; an error for the batch as a whole.
    static func run(
        _ transaction: Transaction,
        session: Session,
        context: CommandContext,
        appending: Bool = true
    ) async -> RESPValue {
        var commands: [CommandService.BatchCommand] = []
        var refusals: [CommandService.BatchRefusal] = []
        for (index, queued) in transaction.queued.enumerated() {
            do {
                commands.append(try batchCommand(queued, session: session, context: context))
            } catch {
                refusals.append(CommandService.BatchRefusal(index: index, error: CaselogError.from(error)))
            }
        }
        guard refusals.isEmpty else { return refused(refusals, count: transaction.queued.count) }
        if commands.isEmpty { return .array([]) }
        do {
            switch try await context.commands.run(batch: commands, by: session.caller, appending: appending) {
            case .appended(let results):
                return .array(results.map(reply))
            case .refused(let refusals):
                return refused(refusals, count: commands.count)
            }
        } catch {
            return error.reply
        }
    }

    /// `EXEC`'s reply when commands were refused: each refusal's error, naming its index, in its
    /// place; nil for the commands that were not refused (and not appended either).
    static func refused(_ refusals: [CommandService.BatchRefusal], count: Int) -> RESPValue {
        var replies = [RESPValue](repeating: .null, count: count)
        for refusal in refusals {
            replies[refusal.index] = .error("\(refusal.error.code) index \(refusal.index): \(refusal.error.message)")
        }
        return .array(replies)
    }

    /// One appended command's normal reply.
    static func reply(_ result: CommandService.BatchResult) -> RESPValue {
        switch result {
        case .domain(let outcome): DomainCommands.reply(outcome)
        case .append(let result): .appendResult(result)
        }
    }
}
