import ArgumentParser

/// The `caselog` command: the service, its operations, and (soon) the clients of every user.
@main
struct Caselog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caselog",
        abstract: "Event-sourced case tracking for community engagement on policing.",
        subcommands: [Serve.self, Migrate.self, User.self, Verify.self, Bench.self, Demo.self]
    )
}
