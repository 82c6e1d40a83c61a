import Application
import Domain
import EventLog
import Foundation

/// Commands on the log itself: raw appends and reads, the head, verification, live tail.
enum LogCommands {
    static let readers = CommandAccess.roles(
        [.admin, .auditor, .leadership],
        rule:
            "reading the raw log is for admins, auditors and leadership; coordinators use their organization's commands"
    )

    /// Who may follow the log live (`LOG TAIL`, `SUBSCRIBE`).
    static let tailers = CommandAccess.roles([.admin, .auditor], rule: "the live log is for admins and auditors")

    static let all: [CommandSpec] = [
        CommandSpec(
            "STREAM APPEND",
            arguments: 3...3,
            unbounded: true,
            access: .roles([.admin], rule: "raw appends bypass the domain's rules; only admins may make them"),
            write: true,
            synopsis: "stream expected event-json [event-json ...]",
            summary: "Appends events to a stream if its version is as expected (any, no-stream, exists or a number).",
            handler: .deferred(append)
        ),
        CommandSpec(
            "STREAM READ",
            arguments: 1...5,
            access: readers,
            synopsis: "stream [FROM version] [COUNT n]",
            summary: "Events of a stream from a version (default 0), at most COUNT (default 100, at most 10000).",
            handler: .deferred { invocation in
                let stream = try streamName(invocation.arguments, 0)
                let options = try invocation.arguments.options(from: 1, allowed: ["FROM", "COUNT"])
                let from = try number(options["FROM"], field: "from", default: 0)
                let count = try number(options["COUNT"], field: "count", default: 100, maximum: 10_000)
                let events = try await invocation.context.backend.read(stream: stream, from: from, limit: Int(count))
                return CommandReply(events: events)
            }
        ),
        CommandSpec(
            "STREAM INFO",
            arguments: 1...1,
            access: readers,
            synopsis: "stream",
            summary: "A stream's version (-1 when it has no events), event count and first and last positions.",
            handler: .deferred { invocation in
                let stream = try streamName(invocation.arguments, 0)
                let backend = invocation.context.backend
                let version = try await backend.version(of: stream)
                let first = try await backend.read(stream: stream, from: 0, limit: 1).first
                let last = version < 0 ? nil : try await backend.read(stream: stream, from: version, limit: 1).first
                return CommandReply(
                    .map(pairs: [
                        (.bulk("stream"), .bulk(stream.rawValue)),
                        (.bulk("version"), .integer(version)),
                        (.bulk("events"), .integer(version + 1)),
                        (.bulk("first_position"), first.map { .integer($0.position) } ?? .null),
                        (.bulk("last_position"), last.map { .integer($0.position) } ?? .null),
                    ])
                )
            }
        ),
        CommandSpec(
            "LOG HEAD",
            arguments: 0...0,
            access: .authenticated,
            summary: "The last committed position and its chain hash.",
            handler: .deferred { invocation in
                let head = try await invocation.context.backend.head()
                return CommandReply(
                    .map(pairs: [
                        (.bulk("position"), .integer(head.position)), (.bulk("hash"), .bulk(Hex.encode(head.hash))),
                    ])
                )
            }
        ),
        CommandSpec(
            "LOG READ",
            arguments: 2...4,
            access: readers,
            synopsis: "FROM position [COUNT n]",
            summary: "Events of the whole log from a position, in order, at most COUNT (default 100, at most 10000).",
            handler: .deferred { invocation in
                let options = try invocation.arguments.options(from: 0, allowed: ["FROM", "COUNT"])
                let from = try number(options["FROM"], field: "from", default: 1)
                let count = try number(options["COUNT"], field: "count", default: 100, maximum: 10_000)
                let events = try await invocation.context.backend.readAll(from: from, limit: Int(count))
                return CommandReply(events: events)
            }
        ),
        CommandSpec(
            "LOG VERIFY",
            arguments: 0...4,
            access: .roles([.admin, .auditor], rule: "verification is for admins and auditors"),
            synopsis: "[FROM position] [TO position]",
            summary: "Recomputes the hash chain; answers how far it holds or the first position where it breaks.",
            handler: .deferred { invocation in
                let options = try invocation.arguments.options(from: 0, allowed: ["FROM", "TO"])
                let from = try number(options["FROM"], field: "from", default: 1)
                let to = try options["TO"].map { text throws(CaselogError) in try number(text, field: "to", default: 0)
                }
                let report = try await invocation.context.backend.verify(from: from, through: to)
                return CommandReply(
                    .map(pairs: [
                        (.bulk("intact"), .boolean(report.isIntact)),
                        (.bulk("verified"), .integer(report.verifiedCount)),
                        (.bulk("last_position"), .integer(report.lastPosition)),
                        (.bulk("failure"), report.failure.map { .bulk($0.description) } ?? .null),
                    ])
                )
            }
        ),
        CommandSpec(
            "LOG CHECKPOINT",
            arguments: 0...1,
            access: .authenticated,
            synopsis: "[COSIGNED]",
            summary:
                "The latest signed checkpoint of the log's Merkle tree: a C2SP signed note, byte for byte; COSIGNED: the latest one a quorum of witnesses cosigned, their lines appended.",
            handler: .deferred { invocation in
                if invocation.arguments.count == 1 {
                    guard try invocation.arguments.string(0, field: "argument").uppercased() == "COSIGNED" else {
                        throw CaselogError.invalid("argument", "LOG CHECKPOINT takes no argument or COSIGNED")
                    }
                    return CommandReply(.bulk(try await transparency(invocation).cosignedCheckpoint()))
                }
                guard let note = try await transparency(invocation).checkpoint() else {
                    throw CaselogError(.notFound, "no checkpoint has been signed yet")
                }
                return CommandReply(.bulk(note))
            }
        ),
        CommandSpec(
            "LOG PROOF",
            arguments: 2...4,
            access: .authenticated,
            synopsis: "INCLUSION position [SIZE n] | CONSISTENCY old new",
            summary:
                "Merkle proofs (RFC 9162, hashes in base64): an event in the tree of SIZE events (default: the latest checkpoint's), or that the tree of old events is a prefix of the tree of new.",
            handler: .deferred(proof)
        ),
        CommandSpec(
            "LOG TAIL",
            arguments: 0...2,
            access: tailers,
            synopsis: "[FROM position]",
            summary: "Pushes every event from a position (default: the next to commit) as it commits, like SUBSCRIBE.",
            handler: .deferred { invocation in
                let options = try invocation.arguments.options(from: 0, allowed: ["FROM"])
                let from: Int64
                if let text = options["FROM"] {
                    from = try number(text, field: "from", default: 1)
                } else {
                    from = try await invocation.context.backend.head().position + 1
                }
                return CommandReply(
                    .array([.bulk("subscribe"), .bulk("log"), .integer(1)]),
                    action: .tail(from: from)
                )
            }
        ),
    ]

    /// `STREAM APPEND stream expected event-json [event-json ...]`. Events of the domain's types,
    /// and every event on a domain stream, must be ones the domain reads (`DomainEvent.validate`).
    @Sendable static func append(_ invocation: CommandInvocation) async throws -> CommandReply {
        let (stream, expected, events) = try appendRequest(
            invocation.arguments,
            session: invocation.session,
            today: invocation.context.commands.today()
        )
        let result = try await invocation.context.backend.append(to: stream, expected: expected, events: events)
        return CommandReply(.appendResult(result))
    }

    /// The stream, expected version and events `STREAM APPEND`'s arguments ask for, each event
    /// checked and stamped with the session's metadata. An event of an older schema without its
    /// day is read as the projections will read it: recorded `today`.
    static func appendRequest(_ arguments: CommandArguments, session: Session, today recordedOn: ISODate)
        throws(CaselogError) -> (StreamName, ExpectedVersion, [NewEvent])
    {
        let stream = try streamName(arguments, 0)
        let expectedText = try arguments.string(1, field: "expected")
        let expected: ExpectedVersion
        do {
            expected = try ExpectedVersion(parsing: expectedText)
        } catch {
            throw CaselogError(error)
        }
        guard stream.kind != "projection" else {
            throw CaselogError.invalid(
                "stream",
                "projection-… streams record PROJECTION SKIP decisions; use that command"
            )
        }
        let metadata = session.caller.metadata()
        var events: [NewEvent] = []
        for index in 2..<arguments.count {
            let event = try EventJSON.parse(
                arguments.string(index, field: "event"),
                index: index - 2,
                metadata: metadata
            )
            do {
                try DomainEvent.validate(
                    EventPayload(type: event.type, data: event.data, recordedOn: recordedOn),
                    onStreamOfKind: stream.kind
                )
            } catch {
                let refusal = CaselogError(error)
                throw CaselogError(
                    refusal.code,
                    "event \(index - 2).\(refusal.message)",
                    field: refusal.field.map { "event \(index - 2).\($0)" }
                )
            }
            events.append(event)
        }
        return (stream, expected, events)
    }

    /// `LOG PROOF INCLUSION position [SIZE n]` or `LOG PROOF CONSISTENCY old new`.
    @Sendable static func proof(_ invocation: CommandInvocation) async throws -> CommandReply {
        let arguments = invocation.arguments
        let kind = try arguments.string(0, field: "proof").uppercased()
        let transparency = try transparency(invocation)
        switch kind {
        case "INCLUSION":
            let position = try number(arguments.string(1, field: "position"), field: "position", default: 0)
            let options = try arguments.options(from: 2, allowed: ["SIZE"])
            let size = try options["SIZE"].map { text throws(CaselogError) in
                try number(text, field: "size", default: 0)
            }
            let proof = try await transparency.inclusionProof(position: position, size: size)
            return CommandReply(
                .map(pairs: [
                    (.bulk("position"), .integer(proof.position)),
                    (.bulk("index"), .integer(proof.index)),
                    (.bulk("size"), .integer(proof.size)),
                    (.bulk("hash"), .bulk(Hex.encode(proof.leaf))),
                    (.bulk("proof"), .bulkArray(proof.hashes.map { Data($0).base64EncodedString() })),
                    (.bulk("checkpoint"), proof.checkpoint.map(RESPValue.bulk) ?? .null),
                ])
            )
        case "CONSISTENCY":
            guard arguments.count == 3 else {
                throw CaselogError.syntax("LOG PROOF CONSISTENCY takes two sizes: old new")
            }
            let old = try number(arguments.string(1, field: "old"), field: "old", default: 0)
            let new = try number(arguments.string(2, field: "new"), field: "new", default: 0)
            let hashes = try await transparency.consistencyProof(from: old, to: new)
            return CommandReply(
                .map(pairs: [
                    (.bulk("old"), .integer(old)),
                    (.bulk("new"), .integer(new)),
                    (.bulk("proof"), .bulkArray(hashes.map { Data($0).base64EncodedString() })),
                ])
            )
        default:
            throw CaselogError.invalid("proof", "must be INCLUSION or CONSISTENCY")
        }
    }

    /// The transparency log, or `UNAVAILABLE` when the server signs no checkpoints.
    static func transparency(_ invocation: CommandInvocation) throws(CaselogError) -> any TransparencyBackend {
        guard let transparency = invocation.context.transparency else {
            throw CaselogError(
                .unavailable,
                "this server keeps no transparency log: start it with --key or CASELOG_LOG_KEY"
            )
        }
        return transparency
    }

    static func streamName(_ arguments: CommandArguments, _ index: Int) throws(CaselogError) -> StreamName {
        try StreamName(request: try arguments.string(index, field: "stream"))
    }

    static func number(_ text: String?, field: String, default value: Int64, maximum: Int64 = .max) throws(CaselogError)
        -> Int64
    {
        guard let text else { return value }
        guard let number = Int64(text), number >= 0, number <= maximum else {
            throw CaselogError.invalid(field, "must be a whole number from 0 to \(maximum)")
        }
        return number
    }
}
