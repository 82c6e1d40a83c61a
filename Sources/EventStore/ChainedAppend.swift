import EventLog
import Foundation
import Logging
import PostgresNIO

/// What the writer knows of the log's head: the last position, its hash and its time.
struct KnownHead: Sendable, Equatable {
    var position: LogPosition
    var hash: [UInt8]
    /// The head's `recorded_at`; nil while the log is empty (its head row says `-infinity`).
    var recordedAt: Timestamp?

    /// The head of the log in `client`'s database.
    static func read(from client: PostgresClient, logger: Logger) async throws -> KnownHead {
        let query = PostgresQuery(unsafeSQL: "SELECT \(columns) FROM log_head")
        let rows = try await client.query(query, logger: logger)
        for try await row in rows.decode((Int64, ByteBuffer, Int64?).self) {
            return KnownHead(row)
        }
        throw EventLogError(.internal, "the log head row is missing; run caselog migrate")
    }

    /// The head row's columns as `init(_:)` decodes them.
    static let columns = """
        position, hash,
        CASE WHEN isfinite(recorded_at) THEN (extract(epoch FROM recorded_at) * 1000000)::bigint END AS recorded_micros
        """

    init(position: LogPosition, hash: [UInt8], recordedAt: Timestamp?) {
        self.position = position
        self.hash = hash
        self.recordedAt = recordedAt
    }

    init(_ row: (Int64, ByteBuffer, Int64?)) {
        self.init(
            position: row.0,
            hash: Array(buffer: row.1),
            recordedAt: row.2.map(Timestamp.init(microsecondsSinceEpoch:))
        )
    }
}

/// A batch appended right after a head the writer knows, in one call of a procedure.
///
/// When every request states the version its stream is at (`no-stream` or exact), the writer
/// knows each event's position, version and time before it sends anything, so it computes the
/// hash chain itself (`EventChain`, the same code `caselog verify` checks with) and sends
/// finished rows. One procedure call moves the log head only if it is still the head the rows were
/// chained to and every stream it looks up is at the version its request states, and inserts
/// the rows only if it moved it, each row's `prev_hash` linked to the hash before it, and commits
/// before it answers (so an answer is never given for rows a failed commit took back). Unique
/// constraints refuse an event id already stored and a stream that is past its stated version,
/// which decides the requests whose versions are not looked up (`StoredVersions`).
///
/// Anything else inserts nothing: after another process's commit the writer chains again after
/// the head it now sees; streams looked up and not at their stated versions come back with where
/// they are (their requests are answered `WRONGVERSION`, the others chained again); a retried or
/// reused id, or a version taken meanwhile, goes to `caselog_append` (`AppendStatement`), which
/// decides request by request. This path makes the common case cheap: one round trip, statements
/// planned once per connection, and no version lookup for a stream the writer appended to last.
struct ChainedAppend {
    /// How a chained append ended.
    enum Outcome {
        /// Every request was appended; the log's head is now `headAfter`.
        case appended([AppendResult])
        /// The head moved since it was read; `current` is the head as the procedure saw it,
        /// nil when it moved while the procedure waited (read it again).
        case headMoved(current: KnownHead?)
        /// Nothing was appended because a stream is not at the version its request states:
        /// `versions` are where each request's stream is, or nil when an event id of the batch
        /// is already stored (a retry, or a reused id: `caselog_append` decides).
        case refused(versions: [StreamVersion]?)
    }

    /// The requests chained so far, in order.
    private(set) var requests: [AppendRequest] = []
    let head: KnownHead
    /// The time the batch's events are recorded at: now, or the head's time if that is later.
    let stamp: Timestamp
    private let recordedAt: String
    /// One entry per request, followed by one per precondition of that request: the stream, the
    /// version stated for it, whether the database looks it up, and the precondition (nil for
    /// the request's own stream).
    private var streams: [String] = []
    private var versions: [Int64] = []
    private var lookups: [Bool] = []
    private var conditions: [StreamPrecondition?] = []
    private var rows = Rows()
    /// The log's head once the batch is appended.
    private(set) var headAfter: KnownHead

    /// Whether every request states the version its stream is at (`no-stream` or exact).
    static func canChain(_ requests: [AppendRequest]) -> Bool {
        requests.allSatisfy { statedVersion(of: $0) != nil }
    }

    /// The version `request` states its stream is at (-1: no stream yet), if it states one.
    static func statedVersion(of request: AppendRequest) -> StreamVersion? {
        switch request.expected {
        case .noStream: -1
        case .exact(let version): version
        case .any, .exists: nil
        }
    }

    /// An empty batch to be chained after `head`, its events recorded at `now` (or the head's
    /// time, if later); `add` chains requests to it one by one.
    init(after head: KnownHead, at now: Timestamp) {
        self.head = head
        self.stamp = max(now, head.recordedAt ?? now)
        self.recordedAt = stamp.iso8601
        self.headAfter = KnownHead(position: head.position, hash: head.hash, recordedAt: stamp)
    }

    /// The batch of `requests` chained after `head`; every request must state its stream's
    /// version (`canChain`). Versions `stored` knows are left to the unique key, not looked up.
    init(_ requests: [AppendRequest], after head: KnownHead, at now: Timestamp, stored: StoredVersions) {
        self.init(after: head, at: now)
        for request in requests {
            add(request, stored: stored)
        }
    }

    /// Chains `request`'s events after those already added; its stream's version is looked up
    /// in the database unless `stored` leaves it to the unique key.
    mutating func add(_ request: AppendRequest, stored: StoredVersions) {
        guard let current = Self.statedVersion(of: request) else {
            preconditionFailure("a chained append needs stated stream versions")
        }
        conditions.append(nil)
        requests.append(request)
        streams.append(request.stream.rawValue)
        versions.append(current)
        lookups.append(stored.needsLookup(request))
        for condition in request.preconditions {
            // A stream not written has no insert for the unique key to refuse: always looked up.
            conditions.append(condition)
            streams.append(condition.stream.rawValue)
            versions.append(condition.version)
            lookups.append(true)
        }
        var previous = headAfter.hash
        for (offset, event) in request.events.enumerated() {
            headAfter.position += 1
            let version = current + 1 + StreamVersion(offset)
            previous = EventChain.hash(
                of: event,
                at: headAfter.position,
                stream: request.stream.rawValue,
                version: version,
                recordedAt: recordedAt,
                after: previous
            )
            rows.append(event, stream: request.stream.rawValue, version: version, hash: previous)
        }
        headAfter.hash = previous
    }

    /// The call's binds.
    var arguments: Arguments {
        Arguments(
            streams: streams,
            versions: versions,
            lookups: lookups,
            rows: rows,
            headPosition: head.position,
            headHash: ByteBuffer(bytes: head.hash),
            stamp: recordedAt
        )
    }

    /// Where a refused batch's request found its stream, and the first of its preconditions that
    /// did not hold (as the `WRONGVERSION` naming that stream).
    struct Verdict {
        let version: StreamVersion
        let failedPrecondition: EventLogError?
    }

    /// Each request's verdict from `found`, the versions the refusal read found for the entries.
    func verdicts(_ found: [StreamVersion]) -> [Verdict] {
        var verdicts: [Verdict] = []
        verdicts.reserveCapacity(requests.count)
        for entry in found.indices {
            // A request's own entry starts its verdict; its preconditions' entries follow it.
            guard let condition = conditions[entry] else {
                verdicts.append(Verdict(version: found[entry], failedPrecondition: nil))
                continue
            }
            let owner = verdicts.count - 1
            if verdicts[owner].failedPrecondition == nil, found[entry] != condition.version {
                verdicts[owner] = Verdict(
                    version: verdicts[owner].version,
                    failedPrecondition: .wrongVersion(
                        stream: condition.stream,
                        expected: condition.expected,
                        actual: found[entry]
                    )
                )
            }
        }
        return verdicts
    }

    /// Runs the procedure, which commits before it answers; throws what the database reports,
    /// unique violations included.
    func run(on client: PostgresClient, logger: Logger) async throws -> Outcome {
        let rows = try await client.execute(Call(arguments: arguments), logger: logger)
        guard let answer = try await rows.first(where: { _ in true }) else {
            throw EventLogError(.internal, "the chained append answered no row")
        }
        if answer.appended > 0 { return .appended(results()) }
        if !answer.versionsHold { return .refused(versions: try await refusal(on: client, logger: logger)) }
        let seen = KnownHead(answer.head)
        // The head the procedure read last was the expected one: another process moved it
        // while this one waited for its lock.
        return .headMoved(current: seen == head ? nil : seen)
    }

    /// Why the batch was refused: where each request's stream is, or nil when an event id of
    /// the batch is already stored. Read apart from the append, which need not carry these reads.
    private func refusal(on client: PostgresClient, logger: Logger) async throws -> [StreamVersion]? {
        let query: PostgresQuery = """
            SELECT EXISTS (SELECT 1 FROM events WHERE id = ANY(\(rows.ids))),
                   ARRAY(SELECT coalesce((SELECT max(e.version) FROM events e WHERE e.stream = r.stream), -1)
                         FROM unnest(\(streams)::text[]) WITH ORDINALITY AS r(stream, n) ORDER BY r.n)
            """
        for try await (idsKnown, versions) in try await client.query(query, logger: logger).decode(
            (Bool, [Int64]).self
        ) {
            return idsKnown ? nil : versions
        }
        throw EventLogError(.internal, "the refusal read answered no row")
    }

    private func results() -> [AppendResult] {
        var position = head.position
        return requests.map { request in
            let first = position + 1
            position += LogPosition(request.events.count)
            return AppendResult(
                stream: request.stream,
                positions: Array(first...position),
                firstVersion: (Self.statedVersion(of: request) ?? -1) + 1,
                wasDuplicate: false
            )
        }
    }

    /// The events of the batch as parallel arrays, one bind each.
    struct Rows: Sendable {
        var streams: [String] = []
        var versions: [Int64] = []
        var ids: [UUID] = []
        var types: [String] = []
        var data: [String] = []
        var metadata: [String] = []
        var hashes: [ByteBuffer] = []

        mutating func append(_ event: NewEvent, stream: String, version: StreamVersion, hash: [UInt8]) {
            streams.append(stream)
            versions.append(version)
            ids.append(event.id)
            types.append(event.type)
            data.append(event.data)
            metadata.append(event.metadata)
            hashes.append(ByteBuffer(bytes: hash))
        }
    }

    /// The binds of the call.
    struct Arguments: Sendable {
        static let dataTypes: [PostgresDataType] = [
            .textArray, .int8Array, .textArray, .int8Array, .uuidArray, .textArray, .textArray, .textArray,
            .byteaArray, .int8, .bytea, .text, .boolArray,
        ]

        /// Each request's stream, the version it states the stream is at (-1: no stream) and
        /// whether the database must look that version up (`StoredVersions`).
        let streams: [String]
        let versions: [Int64]
        let lookups: [Bool]
        let rows: Rows
        let headPosition: Int64
        let headHash: ByteBuffer
        let stamp: String

        func bindings() -> PostgresBindings {
            var bindings = PostgresBindings(capacity: Self.dataTypes.count)
            bindings.append(streams)
            bindings.append(versions)
            bindings.append(rows.streams)
            bindings.append(rows.versions)
            bindings.append(rows.ids)
            bindings.append(rows.types)
            bindings.append(rows.data)
            bindings.append(rows.metadata)
            bindings.append(rows.hashes)
            bindings.append(headPosition)
            bindings.append(headHash)
            bindings.append(stamp)
            bindings.append(lookups)
            return bindings
        }
    }

    /// What the procedure answers: how many events it appended, whether every stream it looked
    /// up was at its stated version, and the head it saw.
    struct Answer {
        let appended: Int64
        let versionsHold: Bool
        let head: (Int64, ByteBuffer, Int64?)

        init(_ row: PostgresRow) throws {
            let (appended, versionsHold, position, hash, micros) = try row.decode(
                (Int64, Bool, Int64, ByteBuffer, Int64?).self
            )
            self.appended = appended
            self.versionsHold = versionsHold
            self.head = (position, hash, micros)
        }
    }

    /// The call of `caselog_append_chained` (db/migrations/0005_chained_append_procedure.sql):
    /// it moves the head only if it is still the head the rows were chained to (and every
    /// flagged stream is at its stated version), inserts the rows, each `prev_hash` linked to the
    /// hash before it, commits, and only then answers.
    struct Call: PostgresPreparedStatement {
        static let name = "caselog_append_chained"
        static let sql = "CALL caselog_append_chained($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        static let bindingDataTypes = Arguments.dataTypes
        let arguments: Arguments

        func makeBindings() throws -> PostgresBindings { arguments.bindings() }
        func decodeRow(_ row: PostgresRow) throws -> Answer { try Answer(row) }
    }
}
