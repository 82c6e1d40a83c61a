import Application
public import NIOCore

/// Turns one request into a reply: finds the command, checks arity and access, runs it.
///
/// Immediate commands answer on the caller's thread; the others come back as async work,
/// which the connection runs in request order.
public struct CommandDispatcher: Sendable {
    /// How a request is answered.
    public enum Outcome: Sendable {
        case reply(CommandReply)
        case deferred(@Sendable () async -> CommandReply)
    }

    public let context: CommandContext

    public init(context: CommandContext) {
        self.context = context
    }

    /// Resolves, checks and runs `request` (the command name first). It records the command as the
    /// session's last one; a reply that carries a changed session is for the caller to apply.
    public func dispatch(_ request: [ByteBuffer], session: inout Session) -> Outcome {
        let spec: CommandSpec
        let arguments: CommandArguments
        do {
            (spec, arguments) = try resolve(request)
            // Compared first: assigning the same name again would still cost reference counting.
            if session.lastCommand != spec.lowercasedName { session.lastCommand = spec.lowercasedName }
            if session.protocolVersion == .resp2, !session.subscriptions.isEmpty, !spec.isAllowedWhileSubscribed {
                throw CaselogError.syntax(
                    "Can't execute '\(spec.lowercasedName)': only SUBSCRIBE / UNSUBSCRIBE / PING / QUIT are allowed in this context"
                )
            }
            if session.transaction != nil, !TransactionCommands.immediate.contains(spec.name) {
                return .reply(
                    TransactionCommands.queue(spec, arguments, session: &session, context: context)
                )
            }
            if spec.access != .anyone, let grant = session.grant, context.access.needsRecheck(grant) {
                let session = session
                return .deferred { await recheckThenRun(spec, arguments, session, grant) }
            }
            try Self.authorize(spec, session)
        } catch {
            // As in Redis, a command refused before it could queue aborts the transaction.
            session.transaction?.abort()
            return .reply(CommandReply(CaselogError.from(error).reply))
        }
        return run(spec, arguments, session)
    }

    /// Runs an authorized command.
    private func run(_ spec: CommandSpec, _ arguments: CommandArguments, _ session: Session) -> Outcome {
        switch spec.handler {
        case .immediate(let run):
            do {
                return .reply(try run(session, arguments, context))
            } catch {
                return .reply(CommandReply(CaselogError.from(error).reply))
            }
        case .deferred(let run):
            let invocation = CommandInvocation(session: session, arguments: arguments, context: context)
            return .deferred {
                do {
                    return try await run(invocation)
                } catch {
                    return CommandReply(CaselogError.from(error).reply)
                }
            }
        }
    }

    /// Resolves the session's token again (access may have changed since it authenticated), then
    /// authorizes and runs the command as the principal the token stands for now. A token that no
    /// longer authenticates logs the connection out: `NOAUTH`, and so are its next commands.
    private func recheckThenRun(
        _ spec: CommandSpec,
        _ arguments: CommandArguments,
        _ session: Session,
        _ grant: AccessService.Grant
    ) async -> CommandReply {
        var session = session
        do {
            session.authenticate(as: try await context.access.recheck(grant))
        } catch  where error.code == .noAuth {
            session.authenticate(as: nil)
            return CommandReply(error.reply, session: session)
        } catch {
            return CommandReply(error.reply)
        }
        do {
            try Self.authorize(spec, session)
        } catch {
            return CommandReply(error.reply, session: session)
        }
        var reply: CommandReply
        switch run(spec, arguments, session) {
        case .reply(let immediate): reply = immediate
        case .deferred(let work): reply = await work()
        }
        if reply.session == nil { reply.session = session }
        return reply
    }

    /// Runs one command given as text arguments to its reply, as a connection would (for
    /// in-process callers such as the demo generator); session changes are applied.
    public func run(_ arguments: [String], session: inout Session) async -> CommandReply {
        let reply: CommandReply
        switch dispatch(arguments.map { ByteBuffer(string: $0) }, session: &session) {
        case .reply(let immediate):
            reply = immediate
        case .deferred(let work):
            reply = await work()
        }
        if let changed = reply.session { session = changed }
        return reply
    }

    private func resolve(_ request: [ByteBuffer]) throws(CaselogError) -> (CommandSpec, CommandArguments) {
        let words = CommandArguments(request)
        guard !words.isEmpty else { throw .invalid("command", "is missing") }
        // The first word is looked up from its bytes; its text is made only for nouns and errors.
        let word = context.table.firstWords[words[0]]
        var found = word?.command
        var consumed = 1
        if word?.isNoun == true, words.count > 1 || found == nil {
            let noun = try words.name(0, field: "command")
            guard words.count > 1 else {
                throw .syntax("wrong number of arguments for '\(noun.lowercased())' command; try \(noun) HELP")
            }
            let verb = try words.name(1, field: "subcommand")
            if verb == "HELP" { return (context.table.helpSpec(for: noun), CommandArguments([])) }
            found = context.table.commands["\(noun) \(verb)"]
            guard found != nil else { throw .syntax("unknown subcommand '\(verb.lowercased())'; try \(noun) HELP") }
            consumed = 2
        }
        guard let spec = found else {
            throw .syntax("unknown command '\(try words.name(0, field: "command").lowercased())'")
        }
        let arguments = CommandArguments(request, droppingFirst: consumed)
        guard arguments.count >= spec.minimum, arguments.count <= spec.maximum ?? .max else {
            throw .syntax("wrong number of arguments for '\(spec.name.lowercased())' command")
        }
        return (spec, arguments)
    }

    /// Checks that `session` may run `spec`: authenticated if it must be, in a role it allows.
    static func authorize(_ spec: CommandSpec, _ session: Session) throws(CaselogError) {
        switch spec.access {
        case .anyone:
            return
        case .authenticated:
            guard session.principal != nil else { throw .authenticationRequired }
        case .roles(let roles, let rule):
            guard let principal = session.principal else { throw .authenticationRequired }
            guard roles.contains(principal.role) else {
                throw CaselogError(
                    .noPerm,
                    "\(principal.role.rawValue) may not run \(spec.name.lowercased()): \(rule)"
                )
            }
        }
    }
}
