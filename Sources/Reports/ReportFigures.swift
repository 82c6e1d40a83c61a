/// The report's derived figures: counts per organization and status, fulfilment on time per
/// month, each with the latest event among the rows it counts.
extension LeadershipReport {
    /// The statuses a commitment is counted under; an open one past its due date is `overdue`.
    public static let commitmentStatuses = ["overdue", "open", "fulfilled", "cancelled"]

    /// One organization's commitments per status.
    public struct OrganizationCounts: Sendable, Hashable {
        public var org: String
        public var counts: [String: Int]
        public var lineage: Lineage

        public var total: Int { counts.values.reduce(0, +) }
    }

    /// The commitments due in one month: fulfilled on time, fulfilled late, and still open past due.
    public struct MonthFulfilment: Sendable, Hashable {
        public var month: String
        public var onTime: Int
        public var late: Int
        public var overdue: Int
        public var lineage: Lineage

        /// The share fulfilled on time of those whose due date has passed or that were fulfilled.
        public var onTimeShare: Double? {
            let settled = onTime + late + overdue
            return settled == 0 ? nil : Double(onTime) / Double(settled)
        }
    }

    /// The status a commitment counts under.
    static func countedStatus(_ commitment: Commitment) -> String {
        commitment.status == "open" && commitment.daysOverdue > 0 ? "overdue" : commitment.status
    }

    /// Commitments per organization and status, organizations by name.
    public var commitmentsByOrganization: [OrganizationCounts] {
        var byOrg: [String: OrganizationCounts] = [:]
        for commitment in commitments {
            var entry =
                byOrg[commitment.owner]
                ?? OrganizationCounts(org: commitment.owner, counts: [:], lineage: commitment.lineage)
            entry.counts[Self.countedStatus(commitment), default: 0] += 1
            entry.lineage = max(entry.lineage, commitment.lineage)
            byOrg[commitment.owner] = entry
        }
        return byOrg.values.sorted { $0.org < $1.org }
    }

    /// Open commitments past their due date, most overdue first.
    public var overdue: [Commitment] {
        commitments.filter { Self.countedStatus($0) == "overdue" }
            .sorted { ($0.daysOverdue, $1.id) > ($1.daysOverdue, $0.id) }
    }

    /// Fulfilment on time per month of the due date, oldest month first.
    public var fulfilmentByMonth: [MonthFulfilment] {
        var months: [String: MonthFulfilment] = [:]
        for commitment in commitments {
            let month = String(commitment.dueOn.prefix(7))
            var entry =
                months[month]
                ?? MonthFulfilment(month: month, onTime: 0, late: 0, overdue: 0, lineage: commitment.lineage)
            switch Self.countedStatus(commitment) {
            case "fulfilled":
                if let fulfilledOn = commitment.fulfilledOn, fulfilledOn > commitment.dueOn {
                    entry.late += 1
                } else {
                    entry.onTime += 1
                }
            case "overdue": entry.overdue += 1
            default: continue
            }
            entry.lineage = max(entry.lineage, commitment.lineage)
            months[month] = entry
        }
        return months.values.sorted { $0.month < $1.month }
    }
}
