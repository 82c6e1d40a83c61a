import Application
import ArgumentParser
import CaselogServer
import Domain
import Foundation

/// `caselog user`: manages access directly against the database, for operators: the first admin,
/// and recovery when no admin token is left (a lost token, a user to shut out at once).
struct User: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage users directly in the database.",
        subcommands: [Add.self, List.self, Token.self, Disable.self, ChangeRole.self]
    )

    /// Runs `body` with the access service of the configured database.
    static func withAccess<Result: Sendable>(
        _ database: DatabaseOptions,
        _ body: @Sendable (AccessService) async throws -> Result
    ) async throws -> Result {
        let service = try CaselogService(configuration: database.configuration(), parts: [])
        return try await service.withRunning { service in
            try await body(AccessService(backend: StoreBackend(store: service.store)))
        }
    }

    /// The metadata of the events `caselog user VERB` appends: the operator's tool is the actor.
    static func metadata(_ verb: String) -> String {
        #"{"actor":"caselog user \#(verb)","client":"cli"}"#
    }

    /// `caselog user add NAME --role R [--org O]`: prints the new user's token once.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user and print its token (shown only this once; only its hash is stored)."
        )

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "User name: lowercase letters, digits, '_' or '-'.") var name: String
        @Option(help: "admin, leadership, coordinator or auditor.") var role: String
        @Option(help: "The organization a coordinator acts for.") var org: String?

        func run() async throws {
            let name = try UserName(self.name)
            let role = try Role(parsing: self.role)
            let organization = org
            let token = try await User.withAccess(database) { access in
                try await access.add(name, role: role, organization: organization, metadata: User.metadata("add"))
            }
            print(token.text)
        }
    }

    /// `caselog user list`: every user with role, organization, state and live token ids.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every user: name, role, organization, active or disabled, live token ids."
        )

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let accounts = try await User.withAccess(database) { access in
                var accounts: [UserAccount] = []
                for name in try await access.names() {
                    guard let userName = try? UserName(name) else { continue }
                    accounts.append(try await access.account(userName))
                }
                return accounts
            }
            print(UserTable(accounts).text, terminator: "")
        }
    }

    /// `caselog user token NAME`: a new token for an existing user, printed once (a lost token).
    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a new token for a user and print it (shown only this once); its other tokens stay valid."
        )

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The user's name.") var name: String

        func run() async throws {
            let name = try UserName(self.name)
            let token = try await User.withAccess(database) { access in
                try await access.issueToken(name, metadata: User.metadata("token"))
            }
            print(token.text)
        }
    }

    /// `caselog user disable NAME`: the user's tokens stop working, on open connections too.
    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable a user: every token of it is refused from now on; its history stays."
        )

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The user's name.") var name: String
        @Option(help: "Why, recorded in the event.") var reason = "disabled by an operator"

        func run() async throws {
            let name = try UserName(self.name)
            let reason = self.reason
            try await User.withAccess(database) { access in
                try await access.disable(name, reason: reason, metadata: User.metadata("disable"))
            }
            print("disabled \(name.rawValue)")
        }
    }

    /// `caselog user role NAME --role R [--org O]`: changes a user's role.
    struct ChangeRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "role",
            abstract: "Change a user's role (and the organization a coordinator acts for)."
        )

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The user's name.") var name: String
        @Option(help: "admin, leadership, coordinator or auditor.") var role: String
        @Option(help: "The organization a coordinator acts for.") var org: String?

        func run() async throws {
            let name = try UserName(self.name)
            let role = try Role(parsing: self.role)
            let organization = org
            try await User.withAccess(database) { access in
                try await access.changeRole(name, to: role, organization: organization, metadata: User.metadata("role"))
            }
            print("\(name.rawValue) is \(role.rawValue)" + (organization.map { " of \($0)" } ?? ""))
        }
    }
}
