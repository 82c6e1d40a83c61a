import Domain

/// The table `caselog user list` prints: one row per user, columns aligned, `-` for nothing.
struct UserTable {
    let rows: [[String]]

    init(_ accounts: [UserAccount]) {
        rows =
            [["NAME", "ROLE", "ORG", "STATE", "TOKENS"]]
            + accounts.map { account in
                [
                    account.name.rawValue,
                    account.role.rawValue,
                    account.organization ?? "-",
                    account.isDisabled ? "disabled" : "active",
                    account.tokens.isEmpty ? "-" : account.tokens.keys.sorted().joined(separator: ","),
                ]
            }
    }

    /// The rows as text, each column padded to its widest cell.
    var text: String {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.indices.map { column in
                column == row.count - 1
                    ? row[column] : row[column].padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
