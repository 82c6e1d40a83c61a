import AdminProtocol
public import Foundation
public import ProtocolClient

/// Reads a leadership report over the admin protocol, as any client with a read token may:
/// every list followed to its last page, every read at the report's moment.
public struct ReportReading: Sendable {
    public let scope: LeadershipReport.Scope

    public init(scope: LeadershipReport.Scope) {
        self.scope = scope
    }

    /// Asks the server for every figure of the report.
    public func read(from client: RESPClient, now: Date = Date()) async throws -> LeadershipReport {
        let moment = scope.momentWords
        let page = ["LIMIT", "10000"]
        let commitments = try await client.allRows(["COMMITMENT", "LIST"] + scope.orgWords + page + moment)
        // Only the follow-ups still due: the server filters them, the rest never travel.
        var followUps: [RESPValue] = []
        for status in ["scheduled", "blocked"] {
            followUps += try await client.allRows(
                ["FOLLOWUP", "LIST", "STATUS", status] + scope.orgWords + page + moment
            )
        }
        func figures(_ grouping: String) async throws -> [LeadershipReport.ActivityFigure] {
            let reply = try ServerRefusal.check(
                try await client.command(["ACTIVITY", "STATS", "BY", grouping] + scope.orgWords + moment)
            )
            guard case .array(let rows) = reply else { return [] }
            return rows.map { Self.figure($0, grouping: grouping) }
        }
        return LeadershipReport(
            scope: scope,
            position: try await position(client),
            madeAt: ISO8601DateFormatter().string(from: now),
            commitments: commitments.map(Self.commitment),
            followUps: followUps.map(Self.followUp),
            byArea: try await figures("area"),
            byTheme: try await figures("theme"),
            byMonth: try await figures("month")
        )
    }

    /// The AS-OF position when one was given as a number, else the head of the log now.
    private func position(_ client: RESPClient) async throws -> Int64 {
        if let asOf = scope.asOf, let position = Int64(asOf) { return position }
        let head = try ServerRefusal.check(try await client.command("LOG", "HEAD"))
        return Self.integer(head["position"]) ?? 0
    }

    static func commitment(_ row: RESPValue) -> LeadershipReport.Commitment {
        LeadershipReport.Commitment(
            id: row["id"]?.text ?? "",
            owner: row["owner_org"]?.text ?? "",
            text: row["text"]?.text ?? "",
            status: row["status"]?.text ?? "",
            dueOn: row["due_on"]?.text ?? "",
            fulfilledOn: row["fulfilled_on"]?.text,
            daysOverdue: Int(integer(row["days_overdue"]) ?? 0),
            lineage: lineage(row)
        )
    }

    static func followUp(_ row: RESPValue) -> LeadershipReport.FollowUp {
        LeadershipReport.FollowUp(
            id: row["id"]?.text ?? "",
            about: row["about"]?.text ?? "",
            assignee: row["assignee_org"]?.text ?? "",
            status: row["status"]?.text ?? "",
            dueOn: row["due_on"]?.text ?? "",
            daysOverdue: Int(integer(row["days_overdue"]) ?? 0),
            lineage: lineage(row)
        )
    }

    static func figure(_ row: RESPValue, grouping: String) -> LeadershipReport.ActivityFigure {
        let group = row[grouping]?.text
        let label = row["label"]?.text
        return LeadershipReport.ActivityFigure(
            label: [group, label].compactMap { $0 }.joined(separator: " ").nonEmpty ?? "(none)",
            sessions: Int(integer(row["sessions"]) ?? 0),
            attendance: Int(integer(row["attendance"]) ?? 0),
            lineage: lineage(row)
        )
    }

    static func lineage(_ row: RESPValue) -> LeadershipReport.Lineage {
        LeadershipReport.Lineage(
            position: integer(row["last_position"]) ?? 0,
            eventID: row["last_event_id"]?.text ?? ""
        )
    }

    static func integer(_ value: RESPValue?) -> Int64? {
        guard let value else { return nil }
        if case .integer(let number) = value { return number }
        return value.text.flatMap { Int64($0) }
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
