import ArgumentParser
import Foundation

/// The `caselog` command: the service, its operations, and the clients of its users.
///
/// Exit codes scripts can rely on: 0 ok, 1 refused by a rule (or a check that failed), 2 usage,
/// 3 unreachable or unauthorized.
@main
struct Caselog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caselog",
        abstract: "Event-sourced case tracking for community engagement on policing.",
        subcommands: [
            Serve.self, Migrate.self, User.self, Verify.self, Export.self, Import.self, Report.self, Login.self,
            Key.self, WitnessCommand.self, Proof.self,
            Bench.self,
            Demo.self,
        ]
            + clientNounCommands
    )

    /// Runs the command asked for; a usage error exits 2 (ArgumentParser's own code is 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}
