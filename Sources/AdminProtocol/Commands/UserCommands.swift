import Application
import Domain
import EventLog
import Foundation

/// Access commands: users, roles and tokens, each change an event on `user-<name>` made by the `AccessService`.
enum UserCommands {
    static let admins = CommandAccess.roles([.admin], rule: "only admins manage users")

    static let all: [CommandSpec] = [
        CommandSpec(
            "USER ADD",
            arguments: 3...5,
            access: admins,
            write: true,
            synopsis: "name ROLE role [ORG org]",
            summary: "Adds a user and answers its first token, shown only this once.",
            handler: .deferred { invocation in
                let name = try userName(invocation.arguments)
                let options = try invocation.arguments.options(from: 1, allowed: ["ROLE", "ORG"])
                let role = try role(options["ROLE"])
                let token = try await invocation.context.access.add(
                    name,
                    role: role,
                    organization: options["ORG"],
                    metadata: invocation.session.caller.metadataText()
                )
                return CommandReply(tokenReply(token))
            }
        ),
        CommandSpec(
            "USER TOKEN",
            arguments: 1...1,
            access: admins,
            write: true,
            synopsis: "name",
            summary: "Issues another token for a user, shown only this once.",
            handler: .deferred { invocation in
                let token = try await invocation.context.access.issueToken(
                    try userName(invocation.arguments),
                    metadata: invocation.session.caller.metadataText()
                )
                return CommandReply(tokenReply(token))
            }
        ),
        CommandSpec(
            "USER ROLE",
            arguments: 3...5,
            access: admins,
            write: true,
            synopsis: "name ROLE role [ORG org]",
            summary: "Changes a user's role (and organization, for coordinators).",
            handler: .deferred { invocation in
                let options = try invocation.arguments.options(from: 1, allowed: ["ROLE", "ORG"])
                let role = try role(options["ROLE"])
                try await invocation.context.access.changeRole(
                    try userName(invocation.arguments),
                    to: role,
                    organization: options["ORG"],
                    metadata: invocation.session.caller.metadataText()
                )
                return CommandReply(.ok)
            }
        ),
        CommandSpec(
            "USER REVOKE",
            arguments: 1...3,
            access: admins,
            write: true,
            synopsis: "name [TOKEN id]",
            summary: "Revokes one token of a user by its id, or all of them.",
            handler: .deferred { invocation in
                let options = try invocation.arguments.options(from: 1, allowed: ["TOKEN"])
                let revoked = try await invocation.context.access.revoke(
                    try userName(invocation.arguments),
                    tokenID: options["TOKEN"],
                    metadata: invocation.session.caller.metadataText()
                )
                return CommandReply(.integer(Int64(revoked)))
            }
        ),
        CommandSpec(
            "USER DISABLE",
            arguments: 1...3,
            access: admins,
            write: true,
            synopsis: "name [REASON text]",
            summary: "Disables a user: its tokens stop working; its history stays.",
            handler: .deferred { invocation in
                let options = try invocation.arguments.options(from: 1, allowed: ["REASON"])
                try await invocation.context.access.disable(
                    try userName(invocation.arguments),
                    reason: options["REASON"] ?? "",
                    metadata: invocation.session.caller.metadataText()
                )
                return CommandReply(.ok)
            }
        ),
        CommandSpec(
            "USER LIST",
            arguments: 0...0,
            access: .roles([.admin, .auditor], rule: "the user list is for admins and auditors"),
            summary: "Every user with role, organization, live token ids and whether disabled.",
            handler: .deferred { invocation in
                var rows: [RESPValue] = []
                let access = invocation.context.access
                for name in try await access.names() {
                    guard let userName = try? UserName(name) else { continue }
                    let account = try await access.account(userName)
                    rows.append(
                        .map(pairs: [
                            (.bulk("user"), .bulk(name)),
                            (.bulk("role"), .bulk(account.role.rawValue)),
                            (.bulk("org"), account.organization.map(RESPValue.bulk) ?? .null),
                            (.bulk("tokens"), .array(account.tokens.keys.sorted().map(RESPValue.bulk))),
                            (.bulk("disabled"), .boolean(account.isDisabled)),
                        ])
                    )
                }
                return CommandReply(.array(rows))
            }
        ),
    ]

    static func userName(_ arguments: CommandArguments) throws(CaselogError) -> UserName {
        let text = try arguments.string(0, field: "user")
        do {
            return try UserName(text)
        } catch {
            throw CaselogError(error)
        }
    }

    static func role(_ text: String?) throws(CaselogError) -> Role {
        guard let text else {
            throw CaselogError.invalid("role", "is missing; give ROLE admin|leadership|coordinator|auditor")
        }
        do {
            return try Role(parsing: text)
        } catch {
            throw CaselogError(error)
        }
    }

    static func tokenReply(_ token: AccessToken) -> RESPValue {
        .map(pairs: [
            (.bulk("user"), .bulk(token.user.rawValue)),
            (.bulk("token"), .bulk(token.text)),
            (.bulk("token_id"), .bulk(token.id)),
        ])
    }
}
