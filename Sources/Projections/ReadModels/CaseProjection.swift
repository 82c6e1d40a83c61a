import Domain
public import EventLog
import Foundation
public import Logging
public import PostgresNIO
public import ReadModels

/// The cases read model: versioned case rows for the case list, and an append-only timeline of
/// every case event and every event of another entity that names the case.
///
/// A batch adds at most one timeline statement to what the case rows take, whatever its size.
public struct CaseProjection: Projection {
    public let name: String
    /// The case rows, in `<schema>.rows`.
    public let rows: VersionedRowsProjection<CaseRow>

    public init(name: String = "cases") {
        self.name = name
        self.rows = VersionedRowsProjection<CaseRow>(
            name: name,
            columns: [.init("lead_org"), .init("status"), .init("opened_on")],
            indexes: [
                "(opened_on, key) WHERE valid_to IS NULL",
                "(lead_org, opened_on) WHERE valid_to IS NULL",
                "(status, opened_on) WHERE valid_to IS NULL",
                "(opened_on, key, valid_from, valid_to)",
            ]
        )
    }

    public func createStatements(schema: String) -> [String] {
        rows.createStatements(schema: schema) + [
            """
            CREATE TABLE \(schema).timeline (
                case_id text NOT NULL,
                position bigint NOT NULL,
                event_id uuid NOT NULL,
                stream text NOT NULL,
                type text NOT NULL,
                summary text NOT NULL,
                recorded_on date NOT NULL,
                PRIMARY KEY (case_id, position)
            )
            """
        ]
    }

    public func apply(_ events: [RecordedEvent], schema: String, on connection: PostgresConnection, logger: Logger)
        async throws
    {
        try await rows.apply(events, schema: schema, on: connection, logger: logger)
        let entries = try DomainEvents.decode(events, where: Self.mayNameACase).compactMap { decoded in
            CaseTimelineEntry.entry(for: decoded.event, type: decoded.type, origin: decoded.origin).map {
                (entry: $0, position: decoded.origin.position, eventID: decoded.origin.eventID)
            }
        }
        guard !entries.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO \(unescaped: schema).timeline (case_id, position, event_id, stream, type, summary, recorded_on)
            SELECT case_id, position, event_id::uuid, stream, type, summary, recorded_on::date
            FROM unnest(
                \(entries.map(\.entry.caseID))::text[], \(entries.map(\.position))::int8[],
                \(entries.map(\.eventID))::text[], \(entries.map(\.entry.stream))::text[],
                \(entries.map(\.entry.type))::text[], \(entries.map(\.entry.summary))::text[],
                \(entries.map(\.entry.recordedOn.description))::text[]
            ) AS e(case_id, position, event_id, stream, type, summary, recorded_on)
            """,
            logger: logger
        )
    }

    public func upgradeStatements(schema: String) -> [String] {
        rows.upgradeStatements(schema: schema)
    }

    /// Case events, and the events of other entities that can name a case in their data.
    public var eventTypePrefixes: [String]? {
        ["Case", "CommitmentMade", "ActivityLogged", "ActivityCorrected", "FollowUpScheduled"]
    }

    /// Whether `event` can name a case, judged without decoding it.
    static func mayNameACase(_ event: RecordedEvent) -> Bool {
        event.type.hasPrefix("Case") || event.data.contains("case")
    }
}
