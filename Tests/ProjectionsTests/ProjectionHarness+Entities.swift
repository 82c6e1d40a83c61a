import CaselogTesting
import EventLog
import Foundation
import PostgresNIO
import Projections
import ReadModels

/// Appending the events of follow-ups, activities, cases and commitments, in the shapes the
/// domain's event bodies encode.
extension ProjectionHarness {
    static func newID() -> String { UUID().uuidString.lowercased() }

    @discardableResult
    func scheduleFollowUp(about: String, org: String = "cbo-1", due: String, id: String = newID()) async throws
        -> String
    {
        try await append(
            "followup-\(id)",
            "FollowUpScheduled",
            #"{"about":"\#(about)","assignee_org":"\#(org)","due_on":"\#(due)","schema":1}"#
        )
        return id
    }

    /// Logs an activity; `area` is a community area `{number, name}` object or nil; `caseID` a bare uuid.
    @discardableResult
    func logActivity(
        org: String = "cbo-1",
        on day: String,
        area: (Int, String)? = (25, "Austin"),
        district: (Int, String)? = nil,
        attendance: Int,
        themes: [String] = [],
        caseID: String? = nil,
        id: String = newID()
    ) async throws -> String {
        var fields = [
            #""attendance":\#(attendance)"#, #""kind":"listening-session""#, #""languages":["en"]"#,
            #""occurred_on":"\#(day)""#, #""org":"\#(org)""#, #""schema":2"#,
            #""themes":[\#(themes.map { "\"\($0)\"" }.joined(separator: ","))]"#,
        ]
        if let area { fields.append(#""community_area":{"name":"\#(area.1)","number":\#(area.0)}"#) }
        if let district { fields.append(#""police_district":{"name":"\#(district.1)","number":\#(district.0)}"#) }
        if let caseID { fields.append(#""case_id":"\#(caseID)""#) }
        try await append("activity-\(id)", "ActivityLogged", "{\(fields.sorted().joined(separator: ","))}")
        return id
    }

    @discardableResult
    func openCase(title: String, org: String = "cbo-1", id: String = newID()) async throws -> String {
        try await append(
            "case-\(id)",
            "CaseOpened",
            #"{"community_areas":[{"name":"Austin","number":25}],"lead_org":"\#(org)","schema":1,"#
                + #""themes":["trust"],"title":"\#(title)"}"#
        )
        return id
    }

    /// A commitment made on `made` and due on `due`, optionally for a case.
    @discardableResult
    func makeCommitment(org: String, made: String, due: String, caseID: String? = nil, id: String = newID())
        async throws -> String
    {
        let linked = caseID.map { #""case_id":"\#($0)","# } ?? ""
        try await append(
            "commitment-\(id)",
            "CommitmentMade",
            #"{\#(linked)"due_on":"\#(due)","made_on":"\#(made)","made_to":"residents","owner_org":"\#(org)","#
                + #""schema":2,"text":"Report back"}"#
        )
        return id
    }

    @discardableResult
    func fulfil(_ id: String, on day: String) async throws -> LogPosition {
        try await append(
            "commitment-\(id)",
            "CommitmentFulfilled",
            #"{"evidence":"posted","fulfilled_on":"\#(day)","schema":1}"#
        )
    }

    func cancel(_ id: String) async throws {
        try await append("commitment-\(id)", "CommitmentCancelled", #"{"reason":"superseded","schema":1}"#)
    }
}

extension ProjectionHarness {
    /// Every timeline entry of the cases projection, in a stable order, for comparisons.
    func timelineEntries(schema: String = "rm_cases") async throws -> [String] {
        let rows = try await database.client.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT concat_ws(' ', case_id, position, event_id, stream, type, summary, recorded_on)
                    FROM \(schema).timeline ORDER BY case_id, position
                    """
            ),
            logger: TestDatabase.logger
        )
        var lines: [String] = []
        for try await line in rows.decode(String.self) { lines.append(line) }
        return lines
    }

    /// The identity of the live timeline table, which a rebuild replaces.
    func timelineTable() async throws -> Int64 {
        let rows = try await database.client.query(
            "SELECT 'rm_cases.timeline'::regclass::oid::int8",
            logger: TestDatabase.logger
        )
        for try await oid in rows.decode(Int64.self) { return oid }
        throw TestEnvironmentError("rm_cases.timeline does not exist")
    }

    /// Polls `name`'s status until `condition` holds (at most 30 s).
    func status(of name: String, until condition: (ProjectionStatus) -> Bool) async throws -> ProjectionStatus {
        try await runner.status(of: name, until: condition)
    }
}

extension ProjectionRunner {
    /// Polls `name`'s status, as this runner reports it, until `condition` holds (at most 30 s).
    func status(of name: String, until condition: (ProjectionStatus) -> Bool) async throws -> ProjectionStatus {
        try await waitFor("projection \(name) reaches the expected state") {
            try await statuses().first { $0.name == name && condition($0) }
        }
    }
}
