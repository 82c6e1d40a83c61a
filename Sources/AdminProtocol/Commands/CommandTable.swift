import Foundation

/// Every command the server knows, by name, and the documentation built from it.
public struct CommandTable: Sendable {
    public let commands: [String: CommandSpec]

    /// What a request's first word names: a command, a noun of container commands (`STREAM`,
    /// `LOG`, …) whose second word names the verb, or both.
    struct FirstWord: Sendable {
        var command: CommandSpec?
        var isNoun = false
    }

    /// Every first word, so that resolving a request costs one lookup before the verb's.
    let firstWords: FirstWordIndex

    public init(_ specs: [CommandSpec]) {
        self.commands = Dictionary(specs.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var firstWords: [String: FirstWord] = [:]
        for spec in specs where spec.name.contains(" ") {
            firstWords[String(spec.noun), default: FirstWord()].isNoun = true
        }
        for (name, spec) in commands where !name.contains(" ") { firstWords[name, default: FirstWord()].command = spec }
        self.firstWords = FirstWordIndex(firstWords)
    }

    /// The standard table: connection, log, access and case-tracking commands.
    public static let standard = CommandTable(
        ConnectionCommands.all + IntrospectionCommands.all + LogCommands.all + UserCommands.all + DomainCommands.all
            + ReadModelCommands.all + ReadModelListCommands.all + ReferenceCommands.all + PubSubCommands.all
            + TransactionCommands.all
    )

    /// Specs in name order.
    public var sorted: [CommandSpec] { commands.values.sorted { $0.name < $1.name } }

    /// `NOUN HELP`: one line per verb with its synopsis and summary.
    func helpSpec(for noun: String) -> CommandSpec {
        let lines = sorted.filter { $0.noun == noun }.flatMap { spec in
            ["\(spec.name) \(spec.synopsis)".trimmingCharacters(in: .whitespaces), "    \(spec.summary)"]
        }
        let reply = CommandReply(
            .array(([noun + " <subcommand> [<arg> ...]. Subcommands are:"] + lines).map(RESPValue.simpleString))
        )
        return CommandSpec(
            "\(noun) HELP",
            arguments: 0...0,
            access: .anyone,
            summary: "Lists the \(noun) subcommands.",
            handler: .immediate { _, _, _ in reply }
        )
    }
}
