/// The leadership report as one self-contained HTML page: inline CSS and SVG, no script, no
/// network assets, readable when printed; every figure links to the log position it stands at.
public struct ReportPage: Sendable {
    public let report: LeadershipReport

    public init(_ report: LeadershipReport) {
        self.report = report
    }

    /// The most rows a table shows; the figures above it count every row.
    static let tableRows = 200

    public var html: String {
        let sections = [
            header, commitmentsByOrganization, overdue, fulfilment, followUps,
            activities("Activity by community area", report.byArea, id: "areas"),
            activities("Activity by theme", report.byTheme, id: "themes"),
            activities("Activity by month", report.byMonth.sorted { $0.label < $1.label }, id: "months", ranked: false),
            lineage,
        ]
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(title))</title>
            <style>\(Self.style)</style>
            </head>
            <body>
            \(sections.joined(separator: "\n"))
            </body>
            </html>

            """
    }

    var title: String {
        "Community engagement report" + (report.scope.org.map { ": \($0)" } ?? "")
    }

    private var header: String {
        var scope: [String] = []
        if let on = report.scope.on { scope.append("as true on \(on) (business date)") }
        if let asOf = report.scope.asOf { scope.append("as the log stood at \(asOf)") }
        if let org = report.scope.org { scope.append("organization \(org)") }
        let figures = [
            ("Commitments", report.commitments.count), ("Overdue", report.overdue.count),
            ("Follow-ups to do", report.followUps.count),
            ("Activities", report.byMonth.map(\.sessions).reduce(0, +)),
        ]
        return """
            <header>
            <h1>\(HTML.escape(title))</h1>
            <p class="meta">Read at log position <a href="#lineage">\(report.position)</a>\
            \(scope.isEmpty ? "" : "; " + HTML.escape(scope.joined(separator: "; "))); made \(HTML.escape(report.madeAt)).</p>
            <dl class="figures">\(figures.map { "<div><dt>\($0.0)</dt><dd>\($0.1)</dd></div>" }.joined())</dl>
            </header>
            """
    }

    private var commitmentsByOrganization: String {
        let organizations = report.commitmentsByOrganization
        let statuses = LeadershipReport.commitmentStatuses
        let chart = BarChart(
            series: statuses,
            bars: organizations.map { entry in
                BarChart.Bar(
                    label: entry.org,
                    parts: statuses.enumerated().map { .init(series: $0.offset, value: entry.counts[$0.element] ?? 0) },
                    lineage: entry.lineage
                )
            },
            title: "Commitments by organization and status",
            colours: ["#c0392b", "#7fb2e5", "#2e8b57", "#b0b0b0"]
        )
        let rows = organizations.map { entry in
            "<tr><th>\(HTML.escape(entry.org))</th>"
                + statuses.map { "<td>\(entry.counts[$0] ?? 0)</td>" }.joined()
                + "<td>\(entry.total)</td><td>\(HTML.positionLink(entry.lineage))</td></tr>"
        }
        return section(
            "Commitments by organization and status",
            id: "commitments",
            chart: chart,
            table: ["Organization"] + statuses + ["Total", "Log position"],
            rows: rows
        )
    }

    private var overdue: String {
        let rows = report.overdue.lazy.map { commitment in
            "<tr><td class=\"num\">\(commitment.daysOverdue)</td><td>\(HTML.escape(commitment.owner))</td>"
                + "<td class=\"date\">\(HTML.escape(commitment.dueOn))</td><td>\(HTML.escape(commitment.text))</td>"
                + "<td>\(HTML.positionLink(commitment.lineage))</td></tr>"
        }
        return section(
            "Overdue commitments",
            id: "overdue",
            chart: nil,
            table: ["Days overdue", "Organization", "Due", "Commitment", "Log position"],
            rows: rows
        )
    }

    private var fulfilment: String {
        let months = report.fulfilmentByMonth
        let chart = BarChart(
            series: ["on time", "late", "overdue"],
            bars: months.map { month in
                BarChart.Bar(
                    label: month.month,
                    parts: [
                        .init(series: 0, value: month.onTime), .init(series: 1, value: month.late),
                        .init(series: 2, value: month.overdue),
                    ],
                    lineage: month.lineage
                )
            },
            title: "Fulfilment on time by month due",
            colours: ["#2e8b57", "#e0a030", "#c0392b"]
        )
        let rows = months.map { month in
            "<tr><th>\(month.month)</th><td>\(month.onTime)</td><td>\(month.late)</td><td>\(month.overdue)</td>"
                + "<td>\(month.onTimeShare.map { "\(Int(($0 * 100).rounded())) %" } ?? "–")</td>"
                + "<td>\(HTML.positionLink(month.lineage))</td></tr>"
        }
        return section(
            "Fulfilment on time by month due",
            id: "fulfilment",
            chart: chart,
            table: ["Month due", "On time", "Late", "Overdue", "On time share", "Log position"],
            rows: rows
        )
    }

    /// The follow-ups to do, soonest due first.
    private var followUpsByDueDate: [LeadershipReport.FollowUp] {
        report.followUps.sorted { ($0.dueOn, $0.id) < ($1.dueOn, $1.id) }
    }

    /// Every event a figure on the page links to, by position, once each: the lineage section.
    var linkedLineages: [LeadershipReport.Lineage] {
        let linked =
            report.commitmentsByOrganization.map(\.lineage) + report.overdue.prefix(Self.tableRows).map(\.lineage)
            + report.fulfilmentByMonth.map(\.lineage) + followUpsByDueDate.prefix(Self.tableRows).map(\.lineage)
            + (report.byArea + report.byTheme + report.byMonth).map(\.lineage)
        return Set(linked).sorted()
    }

    private var followUps: String {
        let rows = followUpsByDueDate.lazy.map { followUp in
            "<tr><td class=\"date\">\(HTML.escape(followUp.dueOn))</td><td class=\"num\">\(followUp.daysOverdue)</td>"
                + "<td>\(HTML.escape(followUp.assignee))</td><td>\(HTML.escape(followUp.status))</td>"
                + "<td>\(HTML.escape(followUp.about))</td><td>\(HTML.positionLink(followUp.lineage))</td></tr>"
        }
        return section(
            "Follow-ups due",
            id: "followups",
            chart: nil,
            table: ["Due", "Days overdue", "Assigned to", "Status", "About", "Log position"],
            rows: rows
        )
    }

    private func activities(
        _ title: String,
        _ figures: [LeadershipReport.ActivityFigure],
        id: String,
        ranked: Bool = true
    ) -> String {
        let ordered = ranked ? figures.sorted { ($0.sessions, $1.label) > ($1.sessions, $0.label) } : figures
        let chart = BarChart(
            series: ["sessions"],
            bars: ordered.map {
                .init(label: $0.label, parts: [.init(series: 0, value: $0.sessions)], lineage: $0.lineage)
            },
            title: title + " (sessions)"
        )
        let rows = ordered.map { figure in
            "<tr><th>\(HTML.escape(figure.label))</th><td>\(figure.sessions)</td><td>\(figure.attendance)</td>"
                + "<td>\(HTML.positionLink(figure.lineage))</td></tr>"
        }
        return section(title, id: id, chart: chart, table: ["", "Sessions", "Attendance", "Log position"], rows: rows)
    }

    private var lineage: String {
        let rows = linkedLineages.map { lineage in
            "<tr id=\"p\(lineage.position)\"><td class=\"num\">\(lineage.position)</td><td><code>\(HTML.escape(lineage.eventID))</code></td></tr>"
        }
        return """
            <section id="lineage">
            <h2>Lineage</h2>
            <p>Every figure above stands at the last event that changed what it counts: its log position and event id \
            below. An auditor can fetch that event (<code>caselog export --from P --to P</code>) and check it \
            against the hash chain (<code>caselog verify</code>).</p>
            <table><thead><tr><th>Log position</th><th>Event id</th></tr></thead><tbody>\(rows.joined())</tbody></table>
            </section>
            """
    }

    /// A section with its chart and the first `tableRows` of `rows` (the rest counted, not made).
    private func section(
        _ title: String,
        id: String,
        chart: BarChart?,
        table headers: [String],
        rows: some Collection<String>
    ) -> String {
        let shown = rows.prefix(Self.tableRows)
        let more =
            rows.count > shown.count ? "<p class=\"more\">\(rows.count - shown.count) more rows not shown.</p>" : ""
        let body =
            rows.isEmpty
            ? "<p class=\"empty\">None.</p>"
            : "<table><thead><tr>\(headers.map { "<th>\(HTML.escape($0))</th>" }.joined())</tr></thead>"
                + "<tbody>\(shown.joined())</tbody></table>\(more)"
        return """
            <section id="\(id)">
            <h2>\(HTML.escape(title))</h2>
            \(rows.isEmpty ? "" : chart?.svg ?? "")
            \(body)
            </section>
            """
    }

    static let style = """
        body { font-family: system-ui, sans-serif; color: #222; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
        h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
        h2 { font-size: 1.2rem; border-bottom: 1px solid #ccc; padding-bottom: 0.2rem; margin-top: 2rem; }
        .meta { color: #555; }
        .figures { display: flex; gap: 2rem; margin: 1rem 0; }
        .figures dt { font-size: 0.8rem; color: #555; }
        .figures dd { font-size: 1.6rem; margin: 0; font-weight: 600; }
        table { border-collapse: collapse; width: 100%; font-size: 0.85rem; margin-top: 0.5rem; }
        th, td { text-align: left; padding: 0.2rem 0.4rem; border-bottom: 1px solid #eee; vertical-align: top; }
        td.num { text-align: right; }
        td.date { white-space: nowrap; }
        .chart { max-width: 100%; height: auto; font-size: 12px; }
        .chart text { fill: #222; }
        a.pos { color: #1f5fa8; text-decoration: none; font-variant-numeric: tabular-nums; }
        .empty, .more { color: #777; font-style: italic; }
        @media print {
            body { margin: 0; max-width: none; font-size: 10pt; }
            section { break-inside: avoid-page; }
            h2 { break-after: avoid; }
            a.pos { color: inherit; }
            #lineage { break-before: page; }
        }
        """
}
