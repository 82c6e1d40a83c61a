import Application
import Domain
import EventLog
import Foundation
import ReadModels

/// The case-tracking commands: organizations, cases, activities, commitments, follow-ups and
/// themes: the wire grammar becomes a `DomainCommand` the `CommandService` runs; `GET` asks the `QueryService`.
enum DomainCommands {
    static let recorders = CommandAccess.roles(
        [.admin, .coordinator],
        rule: "coordinators and admins record; leadership and auditors read"
    )
    static let admins = CommandAccess.roles([.admin], rule: "only admins manage organizations and themes")

    /// Entities that answer `GET id` folded from their stream, by noun, with the stream kind they
    /// live in (`COMMITMENT GET` reads the commitment board: see `ReadModelCommands`).
    static let entities: [(noun: String, kind: String)] = [
        ("ORG", "org"), ("CASE", "case"), ("ACTIVITY", "activity"), ("FOLLOWUP", "followup"),
    ]

    static var all: [CommandSpec] {
        DomainGrammar.catalog.map(writer) + entities.map(getter) + [orgList, themeList, correlate]
    }

    /// `NOUN VERB [id] FIELD value …`: decide from the stream's history, append, answer where it landed.
    static func writer(_ description: CommandDescription) -> CommandSpec {
        CommandSpec(
            "\(description.noun) \(description.verb)",
            arguments: description.minimumArguments...description.minimumArguments,
            unbounded: true,
            access: description.adminOnly ? admins : recorders,
            write: true,
            synopsis: description.synopsis,
            summary: description.summary,
            handler: .deferred { invocation in
                let command = try parse(description, invocation.arguments, session: invocation.session)
                let outcome = try await invocation.context.commands.run(command, by: invocation.session.caller)
                return CommandReply(reply(outcome))
            }
        )
    }

    /// The typed command a write's arguments stand for, made for the session's principal.
    static func parse(
        _ description: CommandDescription,
        _ arguments: CommandArguments,
        session: Session
    ) throws(CaselogError) -> DomainCommand {
        let words = try (0..<arguments.count).map { index throws(CaselogError) in
            try arguments.string(index, field: "argument")
        }
        guard let principal = session.principal else { throw CaselogError.authenticationRequired }
        return try domain { () throws(DomainError) in
            try DomainGrammar.parse(
                noun: description.noun,
                verb: description.verb,
                arguments: words,
                actor: principal,
                newID: { UUID.random().lowercasedString }
            )
        }
    }

    /// A write's reply: where its events landed.
    static func reply(_ outcome: CommandService.Outcome) -> RESPValue {
        .map(pairs: [
            (.bulk("id"), .bulk(outcome.id)),
            (.bulk("stream"), .bulk(outcome.stream)),
            (.bulk("version"), .integer(outcome.version)),
            (.bulk("position"), outcome.position.map(RESPValue.integer) ?? .null),
        ])
    }

    /// `NOUN GET id`: the entity's current state folded from its stream, with its version and
    /// the position of the last event that changed it.
    static func getter(_ entity: (noun: String, kind: String)) -> CommandSpec {
        CommandSpec(
            "\(entity.noun) GET",
            arguments: 1...1,
            access: .authenticated,
            synopsis: "id",
            summary: "The current state of one \(entity.kind), folded from its stream.",
            handler: .deferred { invocation in
                let id = try invocation.arguments.string(0, field: "id")
                return CommandReply(try await invocation.context.queries.snapshot(kind: entity.kind, id: id).reply)
            }
        )
    }

    static let orgList = CommandSpec(
        "ORG LIST",
        arguments: 0...0,
        unbounded: true,
        access: .authenticated,
        synopsis: ReadModelListCommands.pageSynopsis,
        summary: "Organizations in slug order, a page at a time, with their kind, name and whether they are retired.",
        handler: .deferred { invocation in
            let options = try invocation.arguments.options(from: 0, allowed: ReadModelListCommands.pageOptions)
            let (limit, cursor) = try ReadModelListCommands.page(options)
            let page = try await invocation.context.queries.organizations(
                limit: limit,
                after: cursor?.key,
                at: cursor?.position
            )
            let next = page.organizations.last.flatMap { last in
                page.more
                    ? ListCursor(
                        position: page.position,
                        today: invocation.context.commands.today(),
                        sortKey: "",
                        key: String(last.stream.rawValue.dropFirst("org-".count))
                    ) : nil
            }
            return CommandReply(.page(page.organizations.map(\.reply), next: next))
        }
    )

    static let themeList = CommandSpec(
        "THEME LIST",
        arguments: 0...0,
        access: .authenticated,
        summary: "The theme vocabulary: the initiative's seed themes and those admins added.",
        handler: .deferred { invocation in
            CommandReply(.bulkArray(try await invocation.context.queries.themes()))
        }
    )

    static let correlate = CommandSpec(
        "CORRELATE",
        arguments: 0...1,
        access: .authenticated,
        synopsis: "[id]",
        summary:
            "Stamps this id as correlation_id on the events of the following commands; without id, a new one per command.",
        handler: .immediate { session, arguments, _ in
            var session = session
            if arguments.isEmpty {
                session.correlationID = nil
            } else {
                let id = try arguments.string(0, field: "id")
                guard (1...128).contains(id.utf8.count), id.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                    throw CaselogError.invalid("id", "must be 1 to 128 printable ASCII characters without spaces")
                }
                session.correlationID = id
            }
            return CommandReply(.ok, session: session)
        }
    )

    /// Runs a domain step, turning its refusal into the protocol's error.
    static func domain<Value>(_ body: () throws(DomainError) -> Value) throws(CaselogError) -> Value {
        do {
            return try body()
        } catch {
            throw CaselogError(error)
        }
    }
}

extension QueryService.Snapshot {
    /// The snapshot as a map: its fields, then `stream`, `version` and `last_position`.
    var reply: RESPValue {
        .map(
            pairs: state.fields.map { (.bulk($0.0), RESPValue($0.1)) } + [
                (.bulk("stream"), .bulk(stream.rawValue)),
                (.bulk("version"), .integer(version)),
                (.bulk("last_position"), lastPosition.map(RESPValue.integer) ?? .null),
            ]
        )
    }
}

extension RESPValue {
    /// A snapshot field's value: text as bulk strings, lists as arrays.
    init(_ value: SnapshotValue) {
        switch value {
        case .text(let text): self = .bulk(text)
        case .integer(let number): self = .integer(number)
        case .bool(let flag): self = .boolean(flag)
        case .null: self = .null
        case .list(let values): self = .array(values.map(RESPValue.init))
        }
    }
}
