public import Domain
public import EventLog
import Foundation

/// Where the next page of a list starts: the position and day the listing is answered at, and
/// the sort key and key of the last row handed out. Clients see it only as an opaque token.
///
/// Every page of one listing reads the rows as they stood at `position`, so appends between pages
/// neither skip a row nor repeat one; the next page starts strictly after (`sortKey`, `key`).
public struct ListCursor: Sendable, Hashable {
    public let position: LogPosition
    /// The day "overdue" is judged on, kept from the first page.
    public let today: ISODate
    /// The business day the listing answers for (`ON`), if it asked for one.
    public let on: ISODate?
    public let sortKey: String
    public let key: String

    public init(position: LogPosition, today: ISODate, on: ISODate? = nil, sortKey: String, key: String) {
        self.position = position
        self.today = today
        self.on = on
        self.sortKey = sortKey
        self.key = key
    }

    /// The token handed to clients: base64url, no padding.
    public var encoded: String {
        let text = ["2", String(position), today.description, on?.description ?? "", sortKey, key].joined(
            separator: "\n"
        )
        return Data(text.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Reads a token made by `encoded`; nil for anything else.
    public init?(encoded token: String) {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else {
            return nil
        }
        let parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, parts[0] == "2", let position = LogPosition(parts[1]), position >= 0,
            let today = try? ISODate(parsing: parts[2]), !parts[5].isEmpty
        else { return nil }
        let on: ISODate?
        if parts[3].isEmpty {
            on = nil
        } else {
            guard let day = try? ISODate(parsing: parts[3]) else { return nil }
            on = day
        }
        self.init(position: position, today: today, on: on, sortKey: parts[4], key: parts[5])
    }
}
