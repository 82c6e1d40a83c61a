import Domain
import Testing

@testable import AdminProtocol

extension Principal {
    fileprivate static let admin = Principal(user: "ada", role: .admin, organization: nil)
    fileprivate static let leadership = Principal(user: "lee", role: .leadership, organization: nil)

    fileprivate static func coordinator(_ organization: String) -> Principal {
        Principal(user: "cora", role: .coordinator, organization: organization)
    }
}

@Suite struct CommandParsingTests {
    static func parse(_ line: String, as actor: Principal = .admin) throws(DomainError) -> DomainCommand {
        let words = Self.words(line)
        return try DomainGrammar.parse(
            noun: words[0],
            verb: words[1],
            arguments: Array(words.dropFirst(2)),
            actor: actor,
            newID: { "6F1C0000-0000-4000-8000-000000000042" }
        )
    }

    /// Splits on spaces; `'…'` keeps spaces inside one word (and may be empty).
    static func words(_ line: String) -> [String] {
        guard line.contains("'") else { return line.split(separator: " ").map(String.init) }
        var words: [String] = []
        var word = ""
        var quoted = false
        var started = false
        for character in line {
            if character == "'" && (quoted || !started) {
                quoted.toggle()
                started = true
            } else if character == " " && !quoted {
                if started { words.append(word) }
                word = ""
                started = false
            } else {
                word.append(character)
                started = true
            }
        }
        if started { words.append(word) }
        return words
    }

    @Test func fieldNamesMatchInAnyCaseWithDashOrUnderscore() throws {
        for due in ["DUE_ON", "due-on", "Due_On", "DUE"] {
            let command = try Self.parse("COMMITMENT MAKE OWNER_ORG cpd TEXT t MADE_TO r \(due) 2025-04-01")
            #expect(command.stream == "commitment-6f1c0000-0000-4000-8000-000000000042")
            #expect(command.id == "6f1c0000-0000-4000-8000-000000000042")
            #expect(command.related == ["org-cpd"])
        }
    }

    @Test func fieldNamesAreLoweredWithDashesAsUnderscoresForAnyWord() {
        let printable = (0x20..<0x7F).map { String(UnicodeScalar(UInt8($0))) }
        let words = printable + printable.map { "Due-\($0)On" } + ["", "ÉTÉ-Ü", "İ-x", "ΣΑ-β", "ﬃ-Z"]
        for word in words {
            #expect(CommandFields.fieldName(word) == String(word.lowercased().map { $0 == "-" ? "_" : $0 }), "\(word)")
        }
    }

    @Test func clientChosenIDsAndExpectedVersions() throws {
        let command = try Self.parse(
            "CASE OPEN ID 0B6A1C0E-4D1F-4C39-9A57-2F8E0D6B7C21 TITLE t LEAD_ORG cbo-one THEMES trust EXPECT -1"
        )
        #expect(command.id == "0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21")
        #expect(command.expectedVersion == -1)
        #expect(command.related == ["org-cbo-one", "theme-vocabulary"])
        #expect(try Self.parse("ORG RENAME cpd NAME x EXPECT 3").expectedVersion == 3)
        #expect(try Self.parse("ORG RENAME cpd NAME x").expectedVersion == nil)
        #expect(try Self.parse("THEME ADD 'Language Access' EXPECT 0").id == "language-access")
    }

    @Test func relatedStreamsAreThoseTheDecisionReads() throws {
        let caseID = "0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21"
        let activityID = "1b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21"
        #expect(
            try Self.parse(
                "COMMITMENT MAKE ORG cpd TEXT t TO r DUE 2025-04-01 CASE \(caseID) SOURCE activity-\(activityID.uppercased())"
            ).related == ["org-cpd", "case-\(caseID)", "activity-\(activityID)"]
        )
        #expect(
            try Self.parse("COMMITMENT MAKE ORG cpd TEXT t TO r DUE 2025-04-01 SOURCE 'consent decree ¶ 45'").related
                == ["org-cpd"]
        )
        #expect(
            try Self.parse(
                "ACTIVITY LOG KIND survey ATTENDANCE 3 THEME youth CASE \(caseID)",
                as: .coordinator("cbo-one")
            )
            .related == ["org-cbo-one", "theme-vocabulary", "case-\(caseID)"]
        )
        #expect(
            try Self.parse("FOLLOWUP SCHEDULE ABOUT Case-\(caseID) DUE 2025-04-01", as: .coordinator("cpd")).related
                == ["org-cpd", "case-\(caseID)"]
        )
        #expect(try Self.parse("CASE REASSIGN \(caseID) LEAD cpd").related == ["org-cpd"])
        #expect(try Self.parse("ACTIVITY CORRECT \(caseID) ATTENDANCE 4 REASON typo").related == [])
        #expect(try Self.parse("COMMITMENT FULFILL \(caseID) EVIDENCE e").stream == "commitment-\(caseID)")
    }

    @Test func theOrganizationDefaultsToACoordinatorsOwnAndIsRequiredOfOthers() throws {
        #expect(try Self.parse("CASE OPEN TITLE t", as: .coordinator("cbo-one")).related == ["org-cbo-one"])
        #expect(throws: DomainError.invalid("lead_org", "is required")) { try Self.parse("CASE OPEN TITLE t") }
        #expect(throws: DomainError.invalid("owner_org", "is required")) {
            try Self.parse("COMMITMENT MAKE TEXT t MADE_TO r DUE_ON 2025-04-01", as: .leadership)
        }
    }

    static let malformed: [(String, DomainError)] = [
        (
            "COMMITMENT MAKE OWNER_ORG cpd TEXT t MADE_TO r DUE_ON 2025-04-01 COLOR red",
            .invalid(
                "color",
                "unknown field; expected one of id, owner_org, text, made_to, made_on, due_on, case_id, source, expect"
            )
        ),
        ("COMMITMENT MAKE OWNER_ORG cpd TEXT t TEXT u MADE_TO r DUE_ON 2025-04-01", .invalid("text", "given twice")),
        (
            "COMMITMENT MAKE ORG cpd OWNER_ORG cpd TEXT t MADE_TO r DUE_ON 2025-04-01",
            .invalid("owner_org", "given twice")
        ),
        ("COMMITMENT MAKE OWNER_ORG cpd TEXT t MADE_TO r DUE_ON", .invalid("due_on", "needs a value")),
        ("COMMITMENT MAKE OWNER_ORG cpd TEXT t MADE_TO r", .invalid("due_on", "is required")),
        ("COMMITMENT MAKE OWNER_ORG cpd MADE_TO r DUE_ON 2025-04-01", .invalid("text", "is required")),
        ("COMMITMENT MAKE OWNER_ORG cpd TEXT '  ' MADE_TO r DUE_ON 2025-04-01", .invalid("text", "must not be empty")),
        (
            "COMMITMENT MAKE OWNER_ORG CPD! TEXT t MADE_TO r DUE_ON 2025-04-01",
            .invalid(
                "owner_org",
                "must be 2-40 lowercase letters, digits or '-', starting and ending with a letter or digit"
            )
        ),
        (
            "COMMITMENT MAKE OWNER_ORG cpd TEXT t MADE_TO r DUE_ON 2025-02-30",
            .invalid("due_on", "must be a real calendar date yyyy-mm-dd from 2000-01-01 to 2099-12-31")
        ),
        (
            "COMMITMENT MAKE OWNER_ORG cpd TEXT t MADE_TO r DUE_ON 2025-04-01 SOURCE activity-42",
            .invalid("source", "must be a UUID such as 0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21")
        ),
        (
            "COMMITMENT MAKE OWNER_ORG cpd TEXT t MADE_TO r DUE_ON 2025-04-01 ID 42",
            .invalid("id", "must be a UUID such as 0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21")
        ),
        (
            "COMMITMENT MAKE OWNER_ORG cpd TEXT t MADE_TO r DUE_ON 2025-04-01 EXPECT soon",
            .invalid("expect", "must be a stream version: a whole number >= 0, or -1 for a new stream")
        ),
        ("COMMITMENT PROGRESS", .invalid("id", "is required")),
        (
            "COMMITMENT PROGRESS 42 LEVEL limited",
            .invalid("id", "must be a UUID such as 0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21")
        ),
        (
            "COMMITMENT PROGRESS 0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21 LEVEL done",
            .invalid("level", "must be one of not-started, limited, substantial, complete")
        ),
        (
            "COMMITMENT REDATE 0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21 DUE_ON 2025-05-01",
            .invalid("reason", "is required")
        ),
        (
            "COMMITMENT SHRUG 0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21",
            .invalid(
                "command",
                "COMMITMENT SHRUG is not a command; COMMITMENT takes MAKE, PROGRESS, REDATE, FULFIL, CANCEL, REOPEN"
            )
        ),
        ("WIDGET MAKE", .invalid("command", "WIDGET is not a domain command")),
        (
            "case shrug",
            .invalid("command", "CASE SHRUG is not a command; CASE takes OPEN, NOTE, REASSIGN, CLOSE, REOPEN")
        ),
        (
            "ORG REGISTER cpd NAME x KIND union",
            .invalid("kind", "must be one of mayors-office, police, cbo, facilitator, partner")
        ),
        (
            "ORG REGISTER -cpd NAME x KIND police",
            .invalid("org", "must be 2-40 lowercase letters, digits or '-', starting and ending with a letter or digit")
        ),
        (
            "ORG REGISTER c NAME x KIND police",
            .invalid("org", "must be 2-40 lowercase letters, digits or '-', starting and ending with a letter or digit")
        ),
        ("ORG REGISTER", .invalid("org", "is required")),
        (
            "CASE OPEN LEAD_ORG cpd TITLE \(String(repeating: "x", count: 201))",
            .invalid("title", "must be at most 200 characters")
        ),
        (
            "CASE OPEN LEAD_ORG cpd TITLE ok SUMMARY \(String(repeating: "x", count: 4001))",
            .invalid("summary", "must be at most 4000 characters")
        ),
        (
            "CASE CLOSE 0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21 RESOLUTION \(String(repeating: "x", count: 4001))",
            .invalid("resolution", "must be at most 4000 characters")
        ),
        (
            "CASE REOPEN 0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21 REASON \(String(repeating: "x", count: 1001))",
            .invalid("reason", "must be at most 1000 characters")
        ),
        ("CASE OPEN LEAD_ORG cpd TITLE 'a\u{7}b'", .invalid("title", "must not contain control characters")),
        (
            "CASE OPEN LEAD_ORG cpd TITLE t AREAS 76,Atlantis",
            .invalid("community_areas", "'Atlantis' is not a community area; give its number (1-77) or name")
        ),
        (
            "CASE OPEN LEAD_ORG cpd TITLE t THEMES !!",
            .invalid(
                "themes",
                "must be 2-40 lowercase letters, digits or '-', starting and ending with a letter or digit"
            )
        ),
        (
            "ACTIVITY LOG ORG cpd KIND rally ATTENDANCE 3",
            .invalid(
                "kind",
                "must be one of listening-session, survey, focus-group, community-meeting, canvass, training, other"
            )
        ),
        ("ACTIVITY LOG ORG cpd KIND survey", .invalid("attendance", "is required")),
        (
            "ACTIVITY LOG ORG cpd KIND survey ATTENDANCE -1",
            .invalid("attendance", "must be a whole number from 0 to 100000")
        ),
        (
            "ACTIVITY LOG ORG cpd KIND survey ATTENDANCE 100001",
            .invalid("attendance", "must be a whole number from 0 to 100000")
        ),
        (
            "ACTIVITY LOG ORG cpd KIND survey ATTENDANCE many",
            .invalid("attendance", "must be a whole number from 0 to 100000")
        ),
        (
            "ACTIVITY LOG ORG cpd KIND survey ATTENDANCE 3 DISTRICT 13",
            .invalid(
                "police_district",
                "'13' is not a police district; give a name or one of 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, "
                    + "17, 18, 19, 20, 22, 24, 25"
            )
        ),
        (
            "ACTIVITY LOG ORG cpd KIND survey ATTENDANCE 3 LANGUAGES en,es,x",
            .invalid("languages", "'x' is not a known language; LANGUAGE LIST shows the codes and names")
        ),
        (
            "ACTIVITY LOG ORG cpd KIND survey ATTENDANCE 3 ORG cpd",
            .invalid("org", "given twice")
        ),
        (
            "ACTIVITY CORRECT 0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21 REASON typo",
            .invalid(
                "fields",
                "a correction gives at least one of kind, occurred_on, community_area, police_district, attendance, "
                    + "languages, themes, summary, case_id"
            )
        ),
        (
            "ACTIVITY CORRECT 0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21 ORG cpd REASON typo",
            .invalid(
                "org",
                "unknown field; expected one of kind, occurred_on, community_area, police_district, attendance, "
                    + "languages, themes, summary, case_id, reason, expect"
            )
        ),
        ("ACTIVITY RETRACT 0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21", .invalid("reason", "is required")),
        (
            "FOLLOWUP SCHEDULE ASSIGNEE_ORG cpd DUE_ON 2025-04-01 ABOUT user-ada",
            .invalid(
                "about",
                "must name a case, commitment or activity as case-<uuid>, commitment-<uuid> or activity-<uuid>"
            )
        ),
        (
            "FOLLOWUP SCHEDULE ASSIGNEE_ORG cpd DUE_ON 2025-04-01 ABOUT case-42",
            .invalid(
                "about",
                "must name a case, commitment or activity as case-<uuid>, commitment-<uuid> or activity-<uuid>"
            )
        ),
        ("FOLLOWUP BLOCK 0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21", .invalid("reason", "is required")),
        ("FOLLOWUP BLOCK 0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21 REASON ''", .invalid("reason", "must not be empty")),
        ("FOLLOWUP COMPLETE 0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21", .invalid("outcome", "is required")),
        ("THEME ADD", .invalid("theme", "is required")),
        (
            "THEME ADD x",
            .invalid(
                "theme",
                "must be 2-40 lowercase letters, digits or '-', starting and ending with a letter or digit"
            )
        ),
        ("THEME ADD youth NAME y", .invalid("name", "unknown field; expected one of expect")),
    ]

    @Test(arguments: malformed)
    func malformedCommandsAreRefusedNamingTheField(line: String, expected: DomainError) {
        #expect(throws: expected) { try Self.parse(line) }
        #expect(expected.field != "" && expected.message.hasPrefix("\(expected.field): "))
    }

    @Test func multiValuedFieldsAreCommaSeparatedTrimmedAndDeduplicated() throws {
        let today = ISODate(year: 2025, month: 3, day: 14)!
        let cpd = try OrganizationCommand.register(
            slug: "cpd",
            name: "Chicago Police Department",
            kind: .police,
            actor: .admin
        ).decide(history: [], related: [:], today: today)
        let command = try Self.parse(
            "CASE OPEN LEAD_ORG cpd TITLE t AREAS 'ohare, 8 ,Near North Side,,76' THEMES 'Trust,alternate response,TRUST'"
        )
        let events = try command.decide(history: [], related: ["org-cpd": cpd, "theme-vocabulary": []], today: today)
        let snapshot = try DomainState.snapshot(kind: "case", id: command.id, history: events)
        #expect(snapshot["community_areas"] == .list([.text("76 O'Hare"), .text("8 Near North Side")]))
        #expect(snapshot["themes"] == .list([.text("trust"), .text("alternate-response")]))
    }

    @Test func theCatalogListsEveryCommandThatParses() throws {
        #expect(DomainGrammar.catalog.count == 22)
        #expect(Set(DomainGrammar.catalog.map { "\($0.noun) \($0.verb)" }).count == 22)
        #expect(DomainGrammar.catalog.filter(\.adminOnly).map(\.noun) == ["ORG", "ORG", "ORG", "THEME"])
        for entry in DomainGrammar.catalog {
            #expect(entry.synopsis.hasSuffix("[EXPECT version]"))
            // A known verb fails, if at all, on its arguments, never as an unknown command.
            do {
                _ = try DomainGrammar.parse(noun: entry.noun, verb: entry.verb, arguments: [], actor: .admin) { "" }
            } catch {
                #expect(error.field != "command", "\(entry.noun) \(entry.verb)")
            }
        }
        let progress = try #require(DomainGrammar.catalog.first { $0.verb == "PROGRESS" })
        #expect(progress.minimumArguments == 3)
        #expect(DomainGrammar.catalog.first { $0.noun == "ORG" && $0.verb == "REGISTER" }?.minimumArguments == 5)
        #expect(DomainGrammar.catalog.first { $0.verb == "SCHEDULE" }?.minimumArguments == 4)
    }
}
