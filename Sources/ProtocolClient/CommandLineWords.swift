import Foundation

/// Turns a client subcommand's words into the protocol's: `caselog commitment list --overdue
/// --org cbo-1` is `COMMITMENT LIST OVERDUE ORG cbo-1`.
///
/// `--name value` becomes the field `NAME value`; `--name` followed by another option or by
/// nothing is the bare word `NAME` (`--overdue`); other words (ids) pass as they are. A field
/// written with `-` inside (`--due-on`) is sent the way the command's synopsis writes it
/// (`DUE_ON`, but `AS-OF` and `DUE-BEFORE`).
public struct CommandLineWords: Sendable, Hashable {
    public let noun: String
    public let verb: String
    /// The command's synopsis, as `HELP` shows it.
    public let synopsis: String

    public init(noun: String, verb: String, synopsis: String) {
        self.noun = noun.uppercased()
        self.verb = verb.uppercased()
        self.synopsis = synopsis
    }

    /// The protocol's words for `arguments` (those after the verb).
    public func protocolWords(_ arguments: [String]) -> [String] {
        var words = [noun, verb]
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--"), argument.count > 2 else {
                words.append(argument)
                continue
            }
            var name = String(argument.dropFirst(2))
            var value: String?
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            } else if index < arguments.count, !arguments[index].hasPrefix("--") {
                value = arguments[index]
                index += 1
            }
            words.append(field(name))
            if let value { words.append(value) }
        }
        return words
    }

    /// The options a client writes for the synopsis' upper-case words: `[ORG org] [OVERDUE]` gives
    /// `--org` and `--overdue` (for shell completion).
    public var options: [String] {
        var seen: Set<String> = []
        return synopsis.split(separator: " ").compactMap { word in
            let bare = word.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            guard bare.count > 1, bare == bare.uppercased(), bare.first?.isLetter == true, !bare.contains("|"),
                seen.insert(bare).inserted
            else { return nil }
            return "--" + bare.lowercased().replacingOccurrences(of: "_", with: "-")
        }
    }

    /// `name` upper-cased, with `-` kept where the synopsis has it and `_` elsewhere.
    func field(_ name: String) -> String {
        let hyphenated = name.uppercased().replacingOccurrences(of: "_", with: "-")
        return synopsis.split(separator: " ").contains { word in
            word.trimmingCharacters(in: CharacterSet(charactersIn: "[]|")) == hyphenated
        } ? hyphenated : hyphenated.replacingOccurrences(of: "-", with: "_")
    }
}
