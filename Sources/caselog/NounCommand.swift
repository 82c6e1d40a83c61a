import AdminProtocol
import ArgumentParser
import Foundation
import ProtocolClient

/// A protocol noun the `caselog` client speaks: `caselog <noun> <verb> …` sends `NOUN VERB …`.
protocol ClientNoun: SendableMetatype {
    /// The noun as the protocol writes it, e.g. `COMMITMENT`.
    static var word: String { get }
    /// A command line that shows the way, e.g. `caselog commitment list --overdue --org cbo-1`.
    static var example: String { get }
}

/// `caselog <noun> <verb> [id] [--field value …] [--flag …]`: one protocol command over the admin
/// protocol, its reply as a table on a terminal, JSON lines (`--json`, or when piped) or CSV.
struct NounCommand<Noun: ClientNoun>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        let specs = CommandTable.standard.sorted.filter { $0.noun == Noun.word && $0.name.contains(" ") }
        let verbs = specs.map { spec in
            "  \(spec.name.dropFirst(Noun.word.count + 1).lowercased()) \(spec.synopsis)\n      \(spec.summary)"
        }
        return CommandConfiguration(
            commandName: Noun.word.lowercased(),
            abstract: "\(Noun.word) commands over the admin protocol (\(Noun.word) HELP).",
            discussion: """
                Fields are --field value (--due-on 2025-03-01), the protocol's bare words are flags \
                (--overdue), ids are plain arguments. Server from --server or CASELOG_SERVER \
                (default 127.0.0.1:7379), token from --token or CASELOG_TOKEN. Output: a table on a \
                terminal, --json (one object per line, also when piped) or --csv. Lists are read \
                page by page to the end unless --limit is given. Exit codes: 0 ok, 1 refused by a \
                rule, 2 usage, 3 unreachable or unauthorized.

                Example:
                  \(Noun.example)

                Verbs (as the protocol writes them):
                \(verbs.joined(separator: "\n"))
                """
        )
    }

    @Argument(
        parsing: .captureForPassthrough,
        help: "The verb, then its id and options.",
        completion: .custom { words, index, prefix in Self.completions(words, at: index, prefix: prefix) }
    )
    var words: [String] = []

    /// Shell completion: the noun's verbs, then the chosen verb's options.
    static func completions(_ words: [String], at index: Int, prefix: String) -> [String] {
        let noun = Noun.word.lowercased()
        let start = (words.firstIndex(of: noun) ?? 0) + 1
        let typed = start < index ? words[start..<min(index, words.count)] : []
        let candidates: [String]
        if let verb = typed.first(where: { !$0.hasPrefix("-") }),
            let spec = CommandTable.standard.commands["\(Noun.word) \(verb.uppercased())"]
        {
            candidates =
                CommandLineWords(noun: Noun.word, verb: verb, synopsis: spec.synopsis).options
                + ["--json", "--csv", "--server", "--token"]
        } else {
            candidates = CommandTable.standard.sorted.filter { $0.noun == Noun.word && $0.name.contains(" ") }
                .map { $0.name.dropFirst(Noun.word.count + 1).lowercased() }
        }
        return candidates.filter { $0.hasPrefix(prefix) }
    }

    func run() async throws {
        if words.isEmpty || ["--help", "-h", "help"].contains(words[0]) {
            print(Self.helpMessage())
            return
        }
        let invocation = try ClientInvocation(words)
        guard let verb = invocation.verb else {
            throw ValidationError("a verb is missing, e.g. \(Noun.example)")
        }
        guard let spec = CommandTable.standard.commands["\(Noun.word) \(verb.uppercased())"] else {
            throw ValidationError(
                "\(Noun.word.lowercased()) has no verb '\(verb)'; see caselog \(Noun.word.lowercased()) --help"
            )
        }
        let translation = CommandLineWords(noun: Noun.word, verb: verb, synopsis: spec.synopsis)
        let command = translation.protocolWords(invocation.arguments)
        let pages = !command.contains("LIMIT") && verb.uppercased() == "LIST"
        let table = try await invocation.connection.withClient { client in
            try await ClientInvocation.send(command, through: client, allPages: pages)
        }
        invocation.print(table)
    }
}

/// The words of a client subcommand: the verb, the command's own words, and the client's options
/// (`--server`, `--token`, `--json`, `--csv`), which may stand anywhere among them.
struct ClientInvocation {
    var connection = ClientConnection()
    var format: Format
    var verb: String?
    var arguments: [String] = []

    enum Format { case table, json, csv }

    init(_ words: [String]) throws {
        var format: Format?
        var index = 0
        while index < words.count {
            let word = words[index]
            index += 1
            switch word {
            case "--json": format = .json
            case "--csv": format = .csv
            case "--server", "--token":
                guard index < words.count else { throw ValidationError("\(word) needs a value") }
                if word == "--server" { connection.server = words[index] } else { connection.token = words[index] }
                index += 1
            default:
                if verb == nil, !word.hasPrefix("-") { verb = word } else { arguments.append(word) }
            }
        }
        self.format = format ?? (isatty(STDOUT_FILENO) != 0 ? .table : .json)
    }

    /// Sends `command`; with `allPages`, follows a paged list's cursor to the end.
    static func send(_ command: [String], through client: RESPClient, allPages: Bool) async throws -> ReplyTable {
        switch try await client.list(command, allPages: allPages) {
        case .other(let reply):
            return ReplyTable(reply)
        case .rows(let rows, let next):
            if next != "0" {
                FileHandle.standardError.write(Data("more rows: repeat with --cursor \(next)\n".utf8))
            }
            return ReplyTable(.array(rows))
        }
    }

    func print(_ table: ReplyTable) {
        let text: String
        switch format {
        case .json: text = table.jsonLines()
        case .csv: text = table.csv()
        case .table where table.rows.isEmpty:
            text = "(no rows)"
        case .table:
            text = table.aligned(width: 64) { row in
                if case .boolean(true) = row["overdue"] { return true }
                if case .integer(let days) = row["days_overdue"] { return days > 0 }
                return false
            }
        }
        if !text.isEmpty { Swift.print(text) }
    }
}

enum OrgNoun: ClientNoun {
    static let word = "ORG"
    static let example = "caselog org list"
}
enum CaseNoun: ClientNoun {
    static let word = "CASE"
    static let example = "caselog case open --title \"Co-responders in Austin\" --community-areas 25"
}
enum ActivityNoun: ClientNoun {
    static let word = "ACTIVITY"
    static let example =
        "caselog activity log --kind canvass --attendance 12 --occurred-on 2025-05-01 --community-area Pilsen"
}
enum CommitmentNoun: ClientNoun {
    static let word = "COMMITMENT"
    static let example = "caselog commitment list --overdue --org cbo-1"
}
enum FollowUpNoun: ClientNoun {
    static let word = "FOLLOWUP"
    static let example = "caselog followup list --overdue"
}
enum ThemeNoun: ClientNoun {
    static let word = "THEME"
    static let example = "caselog theme list"
}
enum StreamNoun: ClientNoun {
    static let word = "STREAM"
    static let example = "caselog stream read org-cbo-1"
}
enum LogNoun: ClientNoun {
    static let word = "LOG"
    static let example = "caselog log head"
}
enum ProjectionNoun: ClientNoun {
    static let word = "PROJECTION"
    static let example = "caselog projection status"
}
enum AreaNoun: ClientNoun {
    static let word = "AREA"
    static let example = "caselog area list"
}
enum DistrictNoun: ClientNoun {
    static let word = "DISTRICT"
    static let example = "caselog district list"
}
enum KindNoun: ClientNoun {
    static let word = "KIND"
    static let example = "caselog kind list"
}
enum LanguageNoun: ClientNoun {
    static let word = "LANGUAGE"
    static let example = "caselog language list"
}

/// Every noun the client speaks, as `caselog` subcommands.
let clientNounCommands: [any ParsableCommand.Type] = [
    NounCommand<OrgNoun>.self, NounCommand<CaseNoun>.self, NounCommand<ActivityNoun>.self,
    NounCommand<CommitmentNoun>.self, NounCommand<FollowUpNoun>.self, NounCommand<ThemeNoun>.self,
    NounCommand<StreamNoun>.self, NounCommand<LogNoun>.self, NounCommand<ProjectionNoun>.self,
    NounCommand<AreaNoun>.self, NounCommand<DistrictNoun>.self, NounCommand<KindNoun>.self,
    NounCommand<LanguageNoun>.self,
]
