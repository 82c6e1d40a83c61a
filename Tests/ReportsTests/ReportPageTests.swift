import Testing

@testable import Reports

/// The report's figures and page, from a report value: no server, no socket.
@Suite struct ReportPageTests {
    static func lineage(_ position: Int64) -> LeadershipReport.Lineage {
        .init(position: position, eventID: "event-\(position)")
    }

    static func commitment(
        _ id: String,
        owner: String,
        status: String,
        due: String,
        fulfilled: String? = nil,
        overdue: Int = 0,
        at position: Int64
    ) -> LeadershipReport.Commitment {
        .init(
            id: id,
            owner: owner,
            text: "Publish <the> findings & more",
            status: status,
            dueOn: due,
            fulfilledOn: fulfilled,
            daysOverdue: overdue,
            lineage: lineage(position)
        )
    }

    static let report = LeadershipReport(
        scope: .init(on: "2025-06-30", org: nil),
        position: 40,
        madeAt: "2026-12-03T12:00:00Z",
        commitments: [
            commitment("a", owner: "cbo-1", status: "open", due: "2025-03-01", overdue: 121, at: 10),
            commitment("b", owner: "cbo-1", status: "fulfilled", due: "2025-03-10", fulfilled: "2025-03-09", at: 12),
            commitment("c", owner: "cbo-2", status: "fulfilled", due: "2025-03-20", fulfilled: "2025-04-02", at: 30),
            commitment("d", owner: "cbo-2", status: "open", due: "2025-09-01", at: 14),
            commitment("e", owner: "cbo-2", status: "cancelled", due: "2025-04-01", at: 16),
        ],
        followUps: [
            .init(
                id: "f",
                about: "commitment-a",
                assignee: "cbo-1",
                status: "blocked",
                dueOn: "2025-07-01",
                daysOverdue: 0,
                lineage: lineage(20)
            )
        ],
        byArea: [
            .init(label: "25 Austin", sessions: 3, attendance: 40, lineage: lineage(22)),
            .init(label: "31 Lower West Side", sessions: 5, attendance: 90, lineage: lineage(24)),
        ],
        byTheme: [.init(label: "trust", sessions: 8, attendance: 130, lineage: lineage(24))],
        byMonth: [.init(label: "2025-03", sessions: 8, attendance: 130, lineage: lineage(24))]
    )

    @Test func commitmentsCountPerOrganizationAndStatusWithTheLatestEventCounted() {
        let counts = Self.report.commitmentsByOrganization
        #expect(counts.map(\.org) == ["cbo-1", "cbo-2"])
        #expect(counts[0].counts == ["overdue": 1, "fulfilled": 1])
        #expect(counts[1].counts == ["fulfilled": 1, "open": 1, "cancelled": 1])
        #expect(counts.map(\.lineage.position) == [12, 30])
    }

    @Test func fulfilmentPerMonthDueSeparatesOnTimeLateAndOverdue() {
        let months = Self.report.fulfilmentByMonth
        #expect(months.map(\.month) == ["2025-03"], "cancelled and not yet due commitments count nowhere")
        #expect(months.first.map { [$0.onTime, $0.late, $0.overdue] } == [1, 1, 1])
        #expect(months.first?.onTimeShare.map { ($0 * 3).rounded() } == 1)
        #expect(Self.report.overdue.map(\.id) == ["a"])
    }

    @Test func thePageIsSelfContainedEscapedAndLinksEveryFigureToItsPosition() {
        let html = ReportPage(Self.report).html
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("<script"), "no script")
        #expect(
            !html.contains("http://")
                || html.components(separatedBy: "http://").count
                    == html.components(separatedBy: "xmlns=\"http://www.w3.org/2000/svg\"").count,
            "no network asset: the only URL is the SVG namespace"
        )
        #expect(!html.contains("https://"))
        #expect(html.contains("Publish &lt;the&gt; findings &amp; more"))
        #expect(!html.contains("Publish <the>"))
        let links = Set(html.matches(of: /href="#p(\d+)"/).map { Int64($0.1)! })
        let entries = Set(html.matches(of: /id="p(\d+)"/).map { Int64($0.1)! })
        #expect(links == entries, "every link has its lineage entry, and every entry a figure")
        #expect(
            links == [10, 12, 20, 22, 24, 30],
            "the organizations' and months' latest events, the overdue row, the follow-up, the activity groups"
        )
        for section in ["commitments", "overdue", "fulfilment", "followups", "areas", "themes", "months", "lineage"] {
            #expect(html.contains("<section id=\"\(section)\">"), "\(section)")
        }
        #expect(html.contains("@media print"))
        #expect(html.contains("as true on 2025-06-30"))
        let areas = html.components(separatedBy: "<section id=\"areas\">")[1]
        let lowerWestSide = areas.range(of: "31 Lower West Side")
        let austin = areas.range(of: "25 Austin")
        #expect(
            lowerWestSide != nil && austin != nil && lowerWestSide!.lowerBound < austin!.lowerBound,
            "ranked by sessions"
        )
    }
}
