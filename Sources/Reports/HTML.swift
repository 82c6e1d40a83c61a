/// Text made safe for HTML element content and attribute values.
enum HTML {
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A link to the lineage entry of `lineage`: the log position the figure stands at.
    static func positionLink(_ lineage: LeadershipReport.Lineage, text: String? = nil) -> String {
        "<a class=\"pos\" href=\"#p\(lineage.position)\" title=\"log position \(lineage.position), event \(escape(lineage.eventID))\">\(escape(text ?? "#\(lineage.position)"))</a>"
    }
}
