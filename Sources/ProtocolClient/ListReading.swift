public import AdminProtocol

/// A reply read as a list where it is one: a paged list (`[cursor, rows]`, as Redis `SCAN`
/// answers) followed page by page, or any other reply as it came.
public enum ListReply: Sendable {
    /// The rows read, and the cursor of the page after them (`0` when none follows).
    case rows([RESPValue], next: String)
    case other(RESPValue)
}

extension RESPClient {
    /// Sends `command`; a refusal throws `ServerRefusal`. A paged reply is followed to the end
    /// with `allPages` (each next page asked with the same words and the opaque cursor),
    /// otherwise only its first page is answered.
    public func list(_ command: [String], allPages: Bool = true) async throws -> ListReply {
        let reply = try ServerRefusal.check(try await self.command(command))
        guard let page = reply.page else { return .other(reply) }
        var rows = page.rows
        var next = page.cursor
        let withoutCursor = Self.removingCursor(from: command)
        while allPages, next != "0" {
            guard let more = try ServerRefusal.check(try await self.command(withoutCursor + ["CURSOR", next])).page
            else { break }
            rows += more.rows
            next = more.cursor
        }
        return .rows(rows, next: next)
    }

    /// Every row of the paged list `command` answers; a reply that is not one is a refusal.
    public func allRows(_ command: [String]) async throws -> [RESPValue] {
        guard case .rows(let rows, _) = try await list(command) else {
            throw ServerRefusal("ERR \(command.prefix(2).joined(separator: " ")) did not answer a paged list")
        }
        return rows
    }

    /// `command` without its `CURSOR c` pair, to ask for the pages that follow.
    static func removingCursor(from command: [String]) -> [String] {
        guard let index = command.firstIndex(where: { $0.uppercased() == "CURSOR" }), index + 1 < command.count
        else { return command }
        return Array(command[..<index] + command[(index + 2)...])
    }
}
