/// What a CSV file holds, and the protocol command each of its rows becomes.
public enum ImportKind: String, Sendable, CaseIterable {
    case activities, commitments, followups, cases

    /// The command's noun and verb, e.g. `ACTIVITY LOG`.
    public var command: [String] {
        switch self {
        case .activities: ["ACTIVITY", "LOG"]
        case .commitments: ["COMMITMENT", "MAKE"]
        case .followups: ["FOLLOWUP", "SCHEDULE"]
        case .cases: ["CASE", "OPEN"]
        }
    }

    /// The columns rows of this kind may have: an optional `id`, and the command's fields. Business
    /// dates that the server would otherwise fill with today are required, so that a re-run on
    /// another day decides the same.
    public var fields: [ImportField] {
        [ImportField("id", synonyms: ["uuid"])] + ownFields
    }

    /// The fields of the kind's command besides its id.
    private var ownFields: [ImportField] {
        switch self {
        case .activities:
            [
                ImportField("org", synonyms: ["organization", "organisation", "org_slug", "cbo"]),
                ImportField(
                    "kind",
                    .activityKind,
                    required: true,
                    synonyms: ["type", "activity", "activity_type", "activity_kind", "event_type"]
                ),
                ImportField(
                    "occurred_on",
                    .date,
                    required: true,
                    synonyms: ["date", "activity_date", "event_date", "held_on", "date_held"]
                ),
                ImportField(
                    "community_area",
                    .area,
                    synonyms: ["area", "community", "neighborhood", "neighbourhood", "ca", "community_area_number"]
                ),
                ImportField(
                    "police_district",
                    .district,
                    synonyms: ["district", "cpd_district", "police_district_number"]
                ),
                ImportField(
                    "attendance",
                    .count,
                    required: true,
                    synonyms: [
                        "attendees", "participants", "headcount", "turnout", "count", "number_of_attendees",
                        "num_attendees", "residents",
                    ]
                ),
                ImportField("languages", .list, synonyms: ["language"]),
                ImportField("themes", .list, synonyms: ["theme", "topics", "topic"]),
                ImportField("summary", synonyms: ["notes", "note", "description", "comments"]),
                ImportField("case_id", synonyms: ["case"]),
            ]
        case .commitments:
            [
                ImportField(
                    "owner_org",
                    synonyms: ["org", "organization", "organisation", "owner", "owner_organization"]
                ),
                ImportField("text", required: true, synonyms: ["commitment", "description", "what"]),
                ImportField("made_to", required: true, synonyms: ["to", "made_to_whom", "recipient", "to_whom"]),
                ImportField("due_on", .date, required: true, synonyms: ["due", "due_date", "deadline"]),
                ImportField("made_on", .date, required: true, synonyms: ["date", "made", "date_made", "made_date"]),
                ImportField("case_id", synonyms: ["case"]),
                ImportField("source", synonyms: ["reference", "consent_decree_paragraph", "paragraph"]),
            ]
        case .followups:
            [
                ImportField("about", required: true, synonyms: ["regarding", "subject", "about_stream"]),
                ImportField(
                    "assignee_org",
                    synonyms: ["assignee", "org", "organization", "organisation", "assigned_to"]
                ),
                ImportField("due_on", .date, required: true, synonyms: ["due", "due_date", "deadline"]),
                ImportField("note", synonyms: ["notes", "description", "summary"]),
                ImportField(
                    "scheduled_on",
                    .date,
                    required: true,
                    synonyms: ["date", "scheduled", "date_scheduled", "scheduled_date"]
                ),
            ]
        case .cases:
            [
                ImportField("title", required: true, synonyms: ["case", "name", "subject", "concern"]),
                ImportField(
                    "lead_org",
                    synonyms: ["lead", "org", "organization", "organisation", "lead_organization"]
                ),
                ImportField(
                    "community_areas",
                    .areas,
                    synonyms: ["community_area", "areas", "area", "neighborhoods", "neighbourhoods", "communities"]
                ),
                ImportField("themes", .list, synonyms: ["theme", "topics", "topic"]),
                ImportField("summary", synonyms: ["notes", "description"]),
                ImportField(
                    "opened_on",
                    .date,
                    required: true,
                    synonyms: ["date", "opened", "date_opened", "opened_date"]
                ),
            ]
        }
    }
}
