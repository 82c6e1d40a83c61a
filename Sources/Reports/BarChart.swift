/// A horizontal bar chart as inline SVG: one row per bar, each bar split into stacked parts,
/// each row linked to the log position its figure stands at.
struct BarChart {
    struct Part {
        let series: Int
        let value: Int
    }

    struct Bar {
        let label: String
        let parts: [Part]
        let lineage: LeadershipReport.Lineage
        var total: Int { parts.map(\.value).reduce(0, +) }
    }

    /// What each series is called, in order; a chart of one series has no legend.
    let series: [String]
    let bars: [Bar]
    let title: String
    /// The fill colour of each series, in the order of `series`.
    var colours = ["#1f5fa8"]

    private static let rowHeight = 20
    private static let labelWidth = 220
    private static let barWidth = 440
    private static let width = labelWidth + barWidth + 70

    var svg: String {
        let legendHeight = series.count > 1 ? 24 : 0
        let height = legendHeight + max(bars.count, 1) * Self.rowHeight + 8
        let largest = max(bars.map(\.total).max() ?? 0, 1)
        var svg =
            "<svg class=\"chart\" role=\"img\" aria-label=\"\(HTML.escape(title))\" xmlns=\"http://www.w3.org/2000/svg\" "
            + "viewBox=\"0 0 \(Self.width) \(height)\" width=\"\(Self.width)\" height=\"\(height)\">"
            + "<title>\(HTML.escape(title))</title>"
        if series.count > 1 {
            for (index, name) in series.enumerated() {
                let x = Self.labelWidth + index * 110
                svg += "<rect x=\"\(x)\" y=\"4\" width=\"12\" height=\"12\" fill=\"\(colour(index))\"/>"
                svg += "<text x=\"\(x + 16)\" y=\"14\">\(HTML.escape(name))</text>"
            }
        }
        for (row, bar) in bars.enumerated() {
            let y = legendHeight + row * Self.rowHeight
            svg +=
                "<a href=\"#p\(bar.lineage.position)\"><title>\(HTML.escape(bar.label)): \(bar.total) (log position \(bar.lineage.position))</title>"
            svg +=
                "<text x=\"\(Self.labelWidth - 6)\" y=\"\(y + 14)\" text-anchor=\"end\">\(HTML.escape(Self.cut(bar.label)))</text>"
            var x = Self.labelWidth
            for part in bar.parts where part.value > 0 {
                let width = max(1, part.value * Self.barWidth / largest)
                svg +=
                    "<rect x=\"\(x)\" y=\"\(y + 3)\" width=\"\(width)\" height=\"\(Self.rowHeight - 6)\" fill=\"\(colour(part.series))\"/>"
                x += width
            }
            svg += "<text x=\"\(x + 4)\" y=\"\(y + 14)\">\(bar.total)</text></a>"
        }
        return svg + "</svg>"
    }

    private func colour(_ series: Int) -> String { colours[series % colours.count] }

    private static func cut(_ label: String) -> String {
        label.count > 32 ? String(label.prefix(31)) + "…" : label
    }
}
