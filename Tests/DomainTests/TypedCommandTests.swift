import Domain
import Foundation
import Testing

/// Commands built in Swift: the constructors derive streams and ids, and check values with the same
/// rules, and the same messages, as commands read from the wire.
@Suite struct TypedCommandTests {
    static let id = "0B6A1C0E-4D1F-4C39-9A57-2F8E0D6B7C21"
    static let other = "1b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21"
    static let uuidRule = "must be a UUID such as 0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21"
    static let slugRule = "must be 2-40 lowercase letters, digits or '-', starting and ending with a letter or digit"

    @Test func constructorsNameTheStreamTheIDAndTheStreamsTheDecisionReads() throws {
        let made = try CommitmentCommand.make(
            id: Self.id,
            ownerOrg: "CPD",
            text: "t",
            madeTo: "r",
            dueOn: .on("2025-04-01"),
            caseID: Self.other.uppercased(),
            source: "Activity-\(Self.other)",
            actor: .admin,
            expectedVersion: -1
        )
        #expect(made.stream == "commitment-\(Self.id.lowercased())")
        #expect(made.id == Self.id.lowercased())
        #expect(made.expectedVersion == -1)
        #expect(made.actor == .admin)
        #expect(made.related == ["org-cpd", "case-\(Self.other)", "activity-\(Self.other)"])

        let opened = try CaseCommand.open(id: Self.id, title: "t", themes: ["Trust"], actor: .coordinator("cbo-one"))
        #expect(opened.related == ["org-cbo-one", "theme-vocabulary"])
        #expect(opened.expectedVersion == nil)
        #expect(try CaseCommand.note(id: Self.id, note: "n", actor: .admin, expectedVersion: 3).expectedVersion == 3)

        let registered = try OrganizationCommand.register(slug: "CPD", name: "n", kind: .police, actor: .admin)
        #expect(registered.stream == "org-cpd" && registered.id == "cpd")
        let theme = try ThemeCommand.add(name: "Language Access", actor: .admin)
        #expect(theme.stream == "theme-vocabulary" && theme.id == "language-access")
        let scheduled = try FollowUpCommand.schedule(
            id: Self.id,
            about: "Case-\(Self.other.uppercased())",
            dueOn: .on("2025-04-01"),
            actor: .coordinator("cpd")
        )
        #expect(scheduled.stream == "followup-\(Self.id.lowercased())")
        #expect(scheduled.related == ["org-cpd", "case-\(Self.other)"])
    }

    static let malformed: [(String, @Sendable () throws -> DomainCommand, DomainError)] = [
        (
            "an id that is no UUID",
            { try CommitmentCommand.progress(id: "42", level: .limited, actor: .admin) },
            .invalid("id", uuidRule)
        ),
        (
            "blank text",
            {
                try CommitmentCommand.make(
                    id: id,
                    ownerOrg: "cpd",
                    text: "  ",
                    madeTo: "r",
                    dueOn: .on("2025-04-01"),
                    actor: .admin
                )
            },
            .invalid("text", "must not be empty")
        ),
        (
            "no owner for a user without an organization",
            {
                try CommitmentCommand.make(id: id, text: "t", madeTo: "r", dueOn: .on("2025-04-01"), actor: .leadership)
            },
            .invalid("owner_org", "is required")
        ),
        (
            "a malformed owner",
            {
                try CommitmentCommand.make(
                    id: id,
                    ownerOrg: "CPD!",
                    text: "t",
                    madeTo: "r",
                    dueOn: .on("2025-04-01"),
                    actor: .admin
                )
            },
            .invalid("owner_org", slugRule)
        ),
        (
            "an activity source that is no UUID",
            {
                try CommitmentCommand.make(
                    id: id,
                    ownerOrg: "cpd",
                    text: "t",
                    madeTo: "r",
                    dueOn: .on("2025-04-01"),
                    source: "activity-42",
                    actor: .admin
                )
            },
            .invalid("source", uuidRule)
        ),
        (
            "a long title",
            { try CaseCommand.open(id: id, title: String(repeating: "x", count: 201), leadOrg: "cpd", actor: .admin) },
            .invalid("title", "must be at most 200 characters")
        ),
        (
            "too many attending",
            { try ActivityCommand.log(id: id, org: "cpd", kind: .survey, attendance: 100_001, actor: .admin) },
            .invalid("attendance", "must be a whole number from 0 to 100000")
        ),
        (
            "a language of one letter",
            {
                try ActivityCommand.log(
                    id: id,
                    org: "cpd",
                    kind: .survey,
                    attendance: 3,
                    languages: ["en", "x"],
                    actor: .admin
                )
            },
            .invalid("languages", "'x' is not a known language; LANGUAGE LIST shows the codes and names")
        ),
        (
            "a correction of nothing",
            { try ActivityCommand.correct(id: id, reason: "typo", actor: .admin) },
            .invalid(
                "fields",
                "a correction gives at least one of kind, occurred_on, community_area, police_district, attendance, "
                    + "languages, themes, summary, case_id"
            )
        ),
        (
            "a follow-up about a user",
            {
                try FollowUpCommand.schedule(
                    id: id,
                    about: "user-ada",
                    assigneeOrg: "cpd",
                    dueOn: .on("2025-04-01"),
                    actor: .admin
                )
            },
            .invalid(
                "about",
                "must name a case, commitment or activity as case-<uuid>, commitment-<uuid> or activity-<uuid>"
            )
        ),
        ("a one-letter theme", { try ThemeCommand.add(name: "x", actor: .admin) }, .invalid("theme", slugRule)),
        (
            "a one-letter organization",
            { try OrganizationCommand.register(slug: "c", name: "x", kind: .police, actor: .admin) },
            .invalid("org", slugRule)
        ),
    ]

    @Test(arguments: malformed)
    func valuesAreCheckedByTheDomainsFieldRules(
        name: String,
        build: @Sendable () throws -> DomainCommand,
        expected: DomainError
    ) {
        #expect(throws: expected, "\(name)") { try build() }
    }
}

/// Values are trimmed of white space as Foundation's `whitespacesAndNewlines` trims them.
@Suite struct TrimmingTests {
    @Test(arguments: [
        "plain", "  padded  ", "\t\n line \r\n", "\u{00A0}no-break\u{3000}", "\u{2028}separators\u{2029}",
        "\u{0085}next line\u{200A}", "inner  space kept", "", "   ", "\u{200B}zero width is not white space\u{200B}",
        "é ✓ ünïcödé ", "\u{1680}ogham",
    ])
    func trimsWhatFoundationTrims(value: String) {
        #expect(FieldRules.trimmed(value) == value.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func everyCharacterOfTheBasicPlaneIsTrimmedOrKeptAsFoundationDoes() {
        let differing = (0...0xFFFF).compactMap(Unicode.Scalar.init).filter { scalar in
            let value = "\(scalar)x\(scalar)"
            return FieldRules.trimmed(value) != value.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(differing.isEmpty, "\(differing.map { String($0.value, radix: 16) })")
    }
}

/// Whole numbers are read as typed, with spaces or tabs around them allowed and nothing else.
@Suite struct WholeNumberTests {
    @Test func digitsAloneOrPaddedWithSpacesAndTabsAreRead() throws {
        for (typed, number) in [("12", 12), (" 12", 12), ("12\t ", 12), ("+7", 7), ("0", 0), ("\u{3000}40", 40)] {
            #expect(try FieldRules.integer(typed, field: "attendance", in: 0...100) == number, "\(typed)")
        }
    }

    @Test func anythingElseIsRefusedNamingTheRange() {
        for typed in ["", "1 2", "12\n", "twelve", "1.5", "-1", "101", "0x10"] {
            #expect(
                throws: DomainError.invalid("attendance", "must be a whole number from 0 to 100"),
                "\(typed)"
            ) { try FieldRules.integer(typed, field: "attendance", in: 0...100) }
        }
    }
}
