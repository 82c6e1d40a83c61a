/// One domain write command for the protocol's command table and `HELP`.
struct CommandDescription: Sendable, Hashable {
    let noun: String
    let verb: String
    /// The arguments after `NOUN VERB`, e.g. `id LEVEL level [NOTE text] [EXPECT version]`.
    let synopsis: String
    let summary: String
    /// Whether only admins may run it (the protocol enforces roles).
    let adminOnly: Bool
    /// The fewest arguments the command can take.
    let minimumArguments: Int

    init(_ noun: String, _ verb: String, _ synopsis: String, _ summary: String, adminOnly: Bool = false) {
        self.noun = noun
        self.verb = verb
        self.synopsis = synopsis + " [EXPECT version]"
        self.summary = summary
        self.adminOnly = adminOnly
        // Required words: those outside brackets, each field name with its value.
        var depth = 0
        var required = 0
        for word in synopsis.split(separator: " ") {
            if depth == 0, !word.hasPrefix("[") { required += 1 }
            depth += word.filter { $0 == "[" }.count - word.filter { $0 == "]" }.count
        }
        self.minimumArguments = required
    }
}

extension DomainGrammar {
    /// Every domain write command the protocol registers.
    static let catalog: [CommandDescription] = [
        CommandDescription(
            "ORG",
            "REGISTER",
            "slug NAME name KIND mayors-office|police|cbo|facilitator|partner",
            "Registers an organization under a slug (lowercase letters, digits, '-').",
            adminOnly: true
        ),
        CommandDescription("ORG", "RENAME", "slug NAME name", "Renames an organization.", adminOnly: true),
        CommandDescription(
            "ORG",
            "RETIRE",
            "slug [REASON text]",
            "Retires an organization: it keeps its history and takes no new work.",
            adminOnly: true
        ),
        CommandDescription(
            "CASE",
            "OPEN",
            "[ID uuid] TITLE text [LEAD_ORG org] [COMMUNITY_AREAS a,b] [THEMES t,u] [SUMMARY text] [OPENED_ON yyyy-mm-dd]",
            "Opens a case led by an organization (a coordinator's own by default)."
        ),
        CommandDescription("CASE", "NOTE", "id NOTE text [NOTED_ON yyyy-mm-dd]", "Adds a note to an open case."),
        CommandDescription(
            "CASE",
            "REASSIGN",
            "id LEAD_ORG org [REASON text] [REASSIGNED_ON yyyy-mm-dd]",
            "Hands an open case to another organization."
        ),
        CommandDescription(
            "CASE",
            "CLOSE",
            "id RESOLUTION text [CLOSED_ON yyyy-mm-dd]",
            "Closes a case with its resolution."
        ),
        CommandDescription("CASE", "REOPEN", "id [REASON text] [REOPENED_ON yyyy-mm-dd]", "Opens a closed case again."),
        CommandDescription(
            "ACTIVITY",
            "LOG",
            "[ID uuid] [ORG org] KIND kind ATTENDANCE n [OCCURRED_ON yyyy-mm-dd] [COMMUNITY_AREA area] "
                + "[POLICE_DISTRICT district] [LANGUAGES l,m] [THEMES t,u] [SUMMARY text] [CASE_ID uuid]",
            "Logs an engagement activity (listening-session, survey, focus-group, community-meeting, canvass, "
                + "training, other)."
        ),
        CommandDescription(
            "ACTIVITY",
            "CORRECT",
            "id [KIND kind] [ATTENDANCE n] [OCCURRED_ON date] [COMMUNITY_AREA area] [POLICE_DISTRICT district] "
                + "[LANGUAGES l,m] [THEMES t,u] [SUMMARY text] [CASE_ID uuid] REASON text",
            "Corrects an activity; only the values that change are recorded."
        ),
        CommandDescription("ACTIVITY", "RETRACT", "id REASON text", "Retracts an activity; its history stays."),
        CommandDescription(
            "COMMITMENT",
            "MAKE",
            "[ID uuid] [OWNER_ORG org] TEXT text MADE_TO whom DUE_ON yyyy-mm-dd [MADE_ON yyyy-mm-dd] [CASE_ID uuid] "
                + "[SOURCE activity-uuid|reference]",
            "Records a commitment an organization made."
        ),
        CommandDescription(
            "COMMITMENT",
            "PROGRESS",
            "id LEVEL not-started|limited|substantial|complete [NOTE text] [REPORTED_ON yyyy-mm-dd]",
            "Reports progress on an open commitment; levels may go down as well as up."
        ),
        CommandDescription(
            "COMMITMENT",
            "REDATE",
            "id DUE_ON yyyy-mm-dd REASON text [REDATED_ON yyyy-mm-dd]",
            "Changes an open commitment's due date, with the reason."
        ),
        CommandDescription(
            "COMMITMENT",
            "FULFIL",
            "id EVIDENCE text [FULFILLED_ON yyyy-mm-dd]",
            "Records that an open commitment was kept, with evidence."
        ),
        CommandDescription(
            "COMMITMENT",
            "CANCEL",
            "id REASON text [CANCELLED_ON yyyy-mm-dd]",
            "Cancels an open commitment, with the reason."
        ),
        CommandDescription(
            "COMMITMENT",
            "REOPEN",
            "id [REASON text] [REOPENED_ON yyyy-mm-dd]",
            "Opens a fulfilled or cancelled commitment again."
        ),
        CommandDescription(
            "FOLLOWUP",
            "SCHEDULE",
            "[ID uuid] ABOUT case-uuid|commitment-uuid|activity-uuid [ASSIGNEE_ORG org] DUE_ON yyyy-mm-dd [NOTE text] "
                + "[SCHEDULED_ON yyyy-mm-dd]",
            "Schedules a follow-up on a case, commitment or activity."
        ),
        CommandDescription(
            "FOLLOWUP",
            "BLOCK",
            "id REASON text [BLOCKED_ON yyyy-mm-dd]",
            "Marks a follow-up as blocked, with the reason (e.g. waiting on procurement)."
        ),
        CommandDescription(
            "FOLLOWUP",
            "COMPLETE",
            "id OUTCOME text [COMPLETED_ON yyyy-mm-dd]",
            "Completes a follow-up with its outcome."
        ),
        CommandDescription("FOLLOWUP", "CANCEL", "id [REASON text] [CANCELLED_ON yyyy-mm-dd]", "Cancels a follow-up."),
        CommandDescription("THEME", "ADD", "name", "Adds a theme to the vocabulary.", adminOnly: true),
    ]
}
