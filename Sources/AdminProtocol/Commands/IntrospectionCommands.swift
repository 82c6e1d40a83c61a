import Application
import EventLog
import Foundation

/// `COMMAND` (what redis-cli asks on connect, for hints) and `INFO`.
enum IntrospectionCommands {
    static let all: [CommandSpec] = [
        CommandSpec(
            "COMMAND",
            arguments: 0...0,
            access: .anyone,
            summary: "Every command's name, arity and flags.",
            handler: .immediate { _, _, context in CommandReply(.array(context.table.sorted.map(info))) }
        ),
        CommandSpec(
            "COMMAND COUNT",
            arguments: 0...0,
            access: .anyone,
            summary: "How many commands there are.",
            handler: .immediate { _, _, context in CommandReply(.integer(Int64(context.table.commands.count))) }
        ),
        CommandSpec(
            "COMMAND INFO",
            arguments: 0...0,
            unbounded: true,
            access: .anyone,
            synopsis: "[command ...]",
            summary: "Name, arity and flags of the named commands (null for unknown ones).",
            handler: .immediate { _, arguments, context in
                let table = context.table
                let names = try commandNames(arguments)
                let specs = names.isEmpty ? table.sorted.map(Optional.some) : names.map { table.commands[$0] }
                return CommandReply(.array(specs.map { $0.map(info) ?? .null }))
            }
        ),
        CommandSpec(
            "COMMAND DOCS",
            arguments: 0...0,
            unbounded: true,
            access: .anyone,
            synopsis: "[command ...]",
            summary: "Summary and arguments of the named commands, or of all.",
            handler: .immediate { _, arguments, context in
                let table = context.table
                let names = try commandNames(arguments)
                let specs = names.isEmpty ? table.sorted : names.compactMap { table.commands[$0] }
                return CommandReply(.map(pairs: specs.map { (.bulk($0.name.lowercased()), docs($0)) }))
            }
        ),
        CommandSpec(
            "INFO",
            arguments: 0...1,
            access: .authenticated,
            synopsis: "[server|clients|log|memory]",
            summary: "Server facts in Redis' INFO text format.",
            handler: .deferred { invocation in
                let section =
                    try invocation.arguments.isEmpty
                    ? "all" : invocation.arguments.string(0, field: "section").lowercased()
                return CommandReply(
                    .verbatimString(format: "txt", text: try await infoText(section, invocation.context))
                )
            }
        ),
    ]

    /// The command names a `COMMAND INFO` or `COMMAND DOCS` request asks about, uppercased.
    static func commandNames(_ arguments: CommandArguments) throws(CaselogError) -> [String] {
        try (0..<arguments.count).map { index throws(CaselogError) in
            try arguments.string(index, field: "command").uppercased()
        }
    }

    /// Redis' `COMMAND INFO` entry: name, arity, flags, first key, last key, step.
    static func info(_ spec: CommandSpec) -> RESPValue {
        .array([
            .bulk(spec.name.lowercased()),
            .integer(Int64(spec.redisArity)),
            .set([.simpleString(spec.isWrite ? "write" : "readonly")]),
            .integer(0), .integer(0), .integer(0),
        ])
    }

    /// Redis 7's `COMMAND DOCS` entry; the synopsis becomes one argument per word for redis-cli's hints.
    static func docs(_ spec: CommandSpec) -> RESPValue {
        let arguments = spec.synopsis.split(separator: " ").map { word -> RESPValue in
            let isOptional = word.hasPrefix("[")
            let name = word.trimmingCharacters(in: CharacterSet(charactersIn: "[]."))
            var pairs: [(RESPValue, RESPValue)] = [
                (.bulk("name"), .bulk(name)), (.bulk("type"), .bulk("string")),
            ]
            if isOptional { pairs.append((.bulk("flags"), .array([.simpleString("optional")]))) }
            return .map(pairs: pairs)
        }
        return .map(pairs: [
            (.bulk("summary"), .bulk(spec.summary)),
            (.bulk("since"), .bulk("0.1.0")),
            (.bulk("group"), .bulk(String(spec.noun).lowercased())),
            (.bulk("arguments"), .array(arguments)),
        ])
    }

    static func infoText(_ section: String, _ context: CommandContext) async throws -> String {
        var sections: [(String, [(String, String)])] = []
        let uptime = (ContinuousClock.now - context.serverInfo.startedAt).components.seconds
        if ["all", "server"].contains(section) {
            sections.append(
                (
                    "Server",
                    [
                        ("caselog_version", context.serverInfo.version),
                        ("process_id", "\(ProcessInfo.processInfo.processIdentifier)"),
                        ("tcp_port", "\(context.serverInfo.port)"), ("uptime_in_seconds", "\(uptime)"),
                    ]
                )
            )
        }
        if ["all", "clients"].contains(section) {
            sections.append(("Clients", [("connected_clients", "\(context.connections.count)")]))
        }
        if ["all", "log"].contains(section) {
            let head = try await context.backend.head()
            sections.append(("Log", [("log_head_position", "\(head.position)"), ("log_head_hash", Hex.encode(head.hash))]))
        }
        if ["all", "memory"].contains(section) {
            sections.append(("Memory", [("used_memory_rss", "\(residentBytes())")]))
        }
        guard !sections.isEmpty else { throw CaselogError.invalid("section", "must be server, clients, log or memory") }
        return sections.map { name, fields in
            (["# \(name)"] + fields.map { "\($0):\($1)" }).joined(separator: "\r\n")
        }.joined(separator: "\r\n\r\n") + "\r\n"
    }

    /// The process's resident memory, from /proc (0 where that is not available).
    static func residentBytes() -> Int {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
            let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
