import Application
import Domain
import Foundation
import NIOCore

/// Connection commands: what every client, redis-cli and Redis libraries send.
enum ConnectionCommands {
    static let all: [CommandSpec] = [
        CommandSpec(
            "PING",
            arguments: 0...1,
            access: .anyone,
            allowedWhileSubscribed: true,
            synopsis: "[message]",
            summary: "Answers PONG, or the message; [pong, message] on a subscribed RESP2 connection, as Redis does.",
            handler: .immediate { session, arguments, _ in
                if session.protocolVersion == .resp2, !session.subscriptions.isEmpty {
                    return CommandReply(
                        .array([.bulk("pong"), arguments.isEmpty ? .bulk("") : .bulkString(arguments[0])])
                    )
                }
                return CommandReply(arguments.isEmpty ? .pong : .bulkString(arguments[0]))
            }
        ),
        CommandSpec(
            "ECHO",
            arguments: 1...1,
            access: .anyone,
            synopsis: "message",
            summary: "Answers the message.",
            handler: .immediate { _, arguments, _ in CommandReply(.bulkString(arguments[0])) }
        ),
        CommandSpec(
            "QUIT",
            arguments: 0...0,
            access: .anyone,
            allowedWhileSubscribed: true,
            summary: "Closes the connection after answering OK.",
            handler: .immediate { _, _, _ in CommandReply(.ok, action: .close) }
        ),
        CommandSpec(
            "HELLO",
            arguments: 0...6,
            access: .anyone,
            synopsis: "[protover [AUTH user token] [SETNAME name]]",
            summary: "Chooses RESP2 or RESP3, optionally authenticating and naming the connection.",
            handler: .deferred(hello)
        ),
        CommandSpec(
            "AUTH",
            arguments: 1...2,
            access: .anyone,
            synopsis: "[user] token",
            summary: "Authenticates with a token (user.secret), or a user and its token.",
            handler: .deferred { invocation in
                var session = invocation.session
                let arguments = invocation.arguments
                let user = arguments.count == 2 ? try arguments.string(0, field: "user") : nil
                let token = try arguments.string(arguments.count - 1, field: "token")
                session.authenticate(as: try await invocation.context.access.authenticate(user: user, token: token))
                return CommandReply(.ok, session: session)
            }
        ),
        CommandSpec(
            "SELECT",
            arguments: 1...1,
            access: .anyone,
            synopsis: "0",
            summary: "Accepts database 0 only (for clients that select it on connect).",
            handler: .immediate { _, arguments, _ in
                guard try arguments.string(0, field: "db") == "0" else {
                    throw CaselogError.invalid("db", "caselog has only database 0")
                }
                return CommandReply(.ok)
            }
        ),
        CommandSpec(
            "CONFIG GET",
            arguments: 1...1,
            unbounded: true,
            access: .anyone,
            synopsis: "parameter [parameter ...]",
            summary: "Answers the few Redis settings benchmark tools ask for (save, appendonly); others are absent.",
            handler: .immediate { _, arguments, _ in
                let known = ["save": "", "appendonly": "no"]
                var pairs: [(RESPValue, RESPValue)] = []
                for index in 0..<arguments.count {
                    let name = try arguments.string(index, field: "parameter").lowercased()
                    if let value = known[name] { pairs.append((.bulk(name), .bulk(value))) }
                }
                return CommandReply(.map(pairs: pairs))
            }
        ),
        CommandSpec(
            "CLIENT ID",
            arguments: 0...0,
            access: .anyone,
            summary: "The connection's id.",
            handler: .immediate { session, _, _ in CommandReply(.integer(session.id)) }
        ),
        CommandSpec(
            "CLIENT SETNAME",
            arguments: 1...1,
            access: .anyone,
            synopsis: "name",
            summary: "Names the connection (shown by CLIENT LIST, recorded as the client of its events).",
            handler: .immediate { session, arguments, _ in
                var session = session
                session.name = try clientName(arguments.string(0, field: "name"))
                return CommandReply(.ok, session: session)
            }
        ),
        CommandSpec(
            "CLIENT GETNAME",
            arguments: 0...0,
            access: .anyone,
            summary: "The connection's name, or null.",
            handler: .immediate { session, _, _ in CommandReply(session.name.map(RESPValue.bulk) ?? .null) }
        ),
        CommandSpec(
            "CLIENT SETINFO",
            arguments: 2...2,
            access: .anyone,
            synopsis: "LIB-NAME|LIB-VER value",
            summary: "Records the client library's name or version.",
            handler: .immediate { session, arguments, _ in
                let attribute = try arguments.string(0, field: "attribute").uppercased()
                let value = try arguments.string(1, field: "value")
                var session = session
                switch attribute {
                case "LIB-NAME": session.libraryName = value
                case "LIB-VER": session.libraryVersion = value
                default: throw CaselogError.invalid("attribute", "must be LIB-NAME or LIB-VER")
                }
                return CommandReply(.ok, session: session)
            }
        ),
        CommandSpec(
            "CLIENT LIST",
            arguments: 0...0,
            access: .roles([.admin], rule: "only admins see other connections"),
            summary: "One line per connection: id, address, name, user, age, last command.",
            handler: .immediate { _, _, context in
                let now = ContinuousClock.now
                let lines = context.connections.all.map { session in
                    let age = (now - session.connectedAt).components.seconds
                    return "id=\(session.id) addr=\(session.remoteAddress) name=\(session.name ?? "") "
                        + "user=\(session.principal?.user ?? "") age=\(age) resp=\(session.protocolVersion == .resp3 ? 3 : 2) "
                        + "lib-name=\(session.libraryName ?? "") cmd=\(session.lastCommand)"
                }
                return CommandReply(.verbatimString(format: "txt", text: lines.joined(separator: "\n") + "\n"))
            }
        ),
        CommandSpec(
            "WHOAMI",
            arguments: 0...0,
            access: .authenticated,
            summary: "The authenticated user, role and organization.",
            handler: .immediate { session, _, _ in
                let principal = session.principal!
                return CommandReply(
                    .map(pairs: [
                        (.bulk("user"), .bulk(principal.user)),
                        (.bulk("role"), .bulk(principal.role.rawValue)),
                        (.bulk("org"), principal.organization.map(RESPValue.bulk) ?? .null),
                    ])
                )
            }
        ),
    ]

    /// `HELLO`'s answer to a protocol version other than 2 and 3: Redis' own reply, word for word.
    ///
    /// It is part of the Redis handshake rather than one of caselog's error codes (`CaselogError.Code`):
    /// Redis answers `-NOPROTO` here, and clients that try RESP3 first and fall back to RESP2 may
    /// match that word (redis-py and redis-cli only report the error). The README documents it.
    static let unsupportedProtocol = RESPValue.error("NOPROTO unsupported protocol version; caselog speaks 2 and 3")

    /// `HELLO [protover [AUTH user token] [SETNAME name]]`.
    @Sendable static func hello(_ invocation: CommandInvocation) async throws -> CommandReply {
        var session = invocation.session
        let arguments = invocation.arguments
        if !arguments.isEmpty {
            switch try arguments.string(0, field: "protover") {
            case "2": session.protocolVersion = .resp2
            case "3": session.protocolVersion = .resp3
            default: return CommandReply(unsupportedProtocol)
            }
        }
        var index = 1
        while index < arguments.count {
            switch try arguments.string(index, field: "option").uppercased() {
            case "AUTH":
                let user = try arguments.string(index + 1, field: "user")
                let token = try arguments.string(index + 2, field: "token")
                session.authenticate(as: try await invocation.context.access.authenticate(user: user, token: token))
                index += 3
            case "SETNAME":
                session.name = try clientName(arguments.string(index + 1, field: "name"))
                index += 2
            default:
                throw CaselogError.syntax(
                    "syntax error in HELLO option '\(try arguments.string(index, field: "option"))'"
                )
            }
        }
        let info = invocation.context.serverInfo
        let reply = RESPValue.map(pairs: [
            (.bulk("server"), .bulk("caselog")),
            (.bulk("version"), .bulk(info.version)),
            (.bulk("proto"), .integer(session.protocolVersion == .resp3 ? 3 : 2)),
            (.bulk("id"), .integer(session.id)),
            (.bulk("mode"), .bulk("standalone")),
            (.bulk("role"), .bulk("master")),
            (.bulk("modules"), .array([])),
        ])
        return CommandReply(reply, session: session)
    }

    static func clientName(_ name: String) throws(CaselogError) -> String {
        guard name.utf8.count <= 128, !name.contains(where: { $0 == " " || $0.isNewline }) else {
            throw CaselogError.invalid("name", "at most 128 bytes, without spaces or line breaks")
        }
        return name
    }
}
