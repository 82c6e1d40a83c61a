public import AdminProtocol
public import Foundation
public import ProtocolClient

/// Reads a leadership report over the admin protocol, as any client with a read token may:
/// every list followed to its last page, every read at the report's moment.
public struct ReportReading: Sendable {
    public let scope: LeadershipReport.Scope

    public init(scope: LeadershipReport.Scope) {
        self.scope = scope
    }

    /// How many organizations' commitments are read at once, each over a connection of its own.
    static let listConnections = 2

    /// Asks the server for every figure of the report: the commitments organization by
    /// organization through `allRows` (each list over a connection of its own, a few at once),
    /// everything else meanwhile over `client`, so the server works on them side by side.
    public func read(
        from client: RESPClient,
        now: Date = Date(),
        allRows: @escaping @Sendable ([String]) async throws -> [RESPValue]
    ) async throws -> LeadershipReport {
        let moment = scope.momentWords
        let page = ["LIMIT", "10000"]
        // Every commitment has a registered owner, so the owners' lists together are all of them.
        let owners: [String]
        if let org = scope.org {
            owners = [org]
        } else {
            owners = try await client.allRows(["ORG", "LIST"] + page).compactMap { $0["id"]?.text }
        }
        async let listed = Self.concurrently(owners, limit: Self.listConnections) { owner in
            try await allRows(["COMMITMENT", "LIST", "ORG", owner] + page + moment)
        }
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
        // Everything over `client` is asked for before the commitments are awaited.
        let (position, byArea, byTheme, byMonth) = (
            try await position(client), try await figures("area"), try await figures("theme"),
            try await figures("month")
        )
        return LeadershipReport(
            scope: scope,
            position: position,
            madeAt: ISO8601DateFormatter().string(from: now),
            commitments: try await listed.map(Self.commitment),
            followUps: followUps.map(Self.followUp),
            byArea: byArea,
            byTheme: byTheme,
            byMonth: byMonth
        )
    }

    /// `body` of each of `items`, at most `limit` at once; the results joined in `items`' order.
    static func concurrently(
        _ items: [String],
        limit: Int,
        _ body: @escaping @Sendable (String) async throws -> [RESPValue]
    ) async throws -> [RESPValue] {
        try await withThrowingTaskGroup(of: (Int, [RESPValue]).self) { group in
            var results = [[RESPValue]](repeating: [], count: items.count)
            for (index, item) in items.enumerated() {
                if index >= limit, let (done, rows) = try await group.next() { results[done] = rows }
                group.addTask { (index, try await body(item)) }
            }
            for try await (done, rows) in group { results[done] = rows }
            return results.flatMap { $0 }
        }
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
