import Application
import ArgumentParser
import CaselogServer
import Domain
import Foundation

/// `caselog user`: bootstraps access directly against the database (e.g. the first admin).
struct User: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage users directly in the database.",
        subcommands: [Add.self]
    )

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
            let service = try CaselogService(configuration: database.configuration(), parts: [])
            let token = try await service.withRunning { service in
                try await AccessService(backend: StoreBackend(store: service.store)).add(
                    name,
                    role: role,
                    organization: organization,
                    metadata: #"{"actor":"caselog user add","client":"cli"}"#
                )
            }
            print(token.text)
        }
    }
}
