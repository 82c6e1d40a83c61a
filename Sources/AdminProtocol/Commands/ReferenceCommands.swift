import Domain

/// `HELP` and the reference data commands are validated against: community areas (with the
/// neighbourhood names accepted for them), police districts, activity kinds and languages.
enum ReferenceCommands {
    static let all: [CommandSpec] = [help, areaList, districtList, kindList, languageList]

    /// `HELP`: every noun with its verbs and every single-word command, one line each.
    static let help = CommandSpec(
        "HELP",
        arguments: 0...0,
        access: .anyone,
        summary: "Lists every command; NOUN HELP shows a noun's subcommands with their arguments.",
        handler: .immediate { _, _, context in
            CommandReply(.array(helpLines(context.table).map(RESPValue.simpleString)))
        }
    )

    /// The lines of `HELP`, in name order.
    static func helpLines(_ table: CommandTable) -> [String] {
        var lines = ["caselog commands. Type NOUN HELP (e.g. COMMITMENT HELP) for a noun's subcommands:"]
        var nouns: [Substring: [String]] = [:]
        for spec in table.sorted {
            if spec.name.contains(" ") {
                nouns[spec.noun, default: []].append(String(spec.name.dropFirst(spec.noun.count + 1)))
            } else {
                lines.append("\(spec.name) \(spec.synopsis)".trimmingCharacters(in: .whitespaces))
                lines.append("    \(spec.summary)")
            }
        }
        for (noun, verbs) in nouns.sorted(by: { $0.key < $1.key }) {
            lines.append("\(noun) \(verbs.joined(separator: "|"))")
        }
        return lines
    }

    /// A reference list: a fixed reply, built once, open to anyone.
    private static func list(_ name: String, summary: String, _ reply: RESPValue) -> CommandSpec {
        CommandSpec(
            name,
            arguments: 0...0,
            access: .anyone,
            summary: summary,
            handler: .immediate { _, _, _ in
                CommandReply(reply)
            }
        )
    }

    static let areaList = list(
        "AREA LIST",
        summary: "The 77 community areas: number, name and the neighbourhood names accepted for each.",
        .array(
            CommunityArea.all.map { area in
                .map(pairs: [
                    (.bulk("number"), .integer(Int64(area.number))),
                    (.bulk("name"), .bulk(area.name)),
                    (
                        .bulk("neighbourhoods"),
                        .bulkArray(Neighbourhood.all.filter { $0.areaNumbers.contains(area.number) }.map(\.name))
                    ),
                ])
            }
        )
    )

    static let districtList = list(
        "DISTRICT LIST",
        summary: "The 22 police districts: number and name.",
        .array(
            PoliceDistrict.all.map { district in
                .map(pairs: [
                    (.bulk("number"), .integer(Int64(district.number))), (.bulk("name"), .bulk(district.name)),
                ])
            }
        )
    )

    static let kindList = list(
        "KIND LIST",
        summary: "The kinds of activity ACTIVITY LOG takes.",
        .bulkArray(ActivityKind.allCases.map(\.rawValue))
    )

    static let languageList = list(
        "LANGUAGE LIST",
        summary: "The languages an activity may list, by code and name (either is accepted).",
        .array(
            Language.all.map { language in
                .map(pairs: [(.bulk("code"), .bulk(language.code)), (.bulk("name"), .bulk(language.name))])
            }
        )
    )
}
