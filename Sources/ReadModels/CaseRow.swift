public import Domain

/// A case as the case list shows it: title, lead organization, areas, themes, status.
public struct CaseRow: ReadModelRow {
    public var id: String
    public var title: String
    public var leadOrg: String
    public var communityAreas: [CommunityArea]
    public var themes: [String]
    public var summary: String?
    /// open or closed.
    public var status: String
    /// How the case was closed, while it is closed.
    public var resolution: String?
    public var noteCount: Int
    public var openedOn: ISODate
    public var closedOn: ISODate?
    public var reassignments: Int

    enum CodingKeys: String, CodingKey {
        case id, title, themes, summary, status, resolution, reassignments
        case leadOrg = "lead_org"
        case communityAreas = "community_areas"
        case noteCount = "note_count"
        case openedOn = "opened_on"
        case closedOn = "closed_on"
    }

    public static let eventTypePrefix = "Case"

    public static func key(of event: DomainEvent, origin: EventOrigin) -> String? {
        guard case .case = event else { return nil }
        return entityID(origin.stream)
    }

    public static func applying(_ event: DomainEvent, to current: CaseRow?, origin: EventOrigin) -> CaseRow? {
        guard case .case(let event) = event else { return current }
        if case .opened(let opened) = event {
            return CaseRow(
                id: entityID(origin.stream),
                title: opened.title,
                leadOrg: opened.leadOrg,
                communityAreas: opened.communityAreas,
                themes: opened.themes,
                summary: opened.summary,
                status: "open",
                noteCount: 0,
                openedOn: opened.openedOn,
                reassignments: 0
            )
        }
        guard var row = current else { return nil }
        switch event {
        case .opened: break
        case .noteAdded: row.noteCount += 1
        case .reassigned(let reassigned):
            row.leadOrg = reassigned.leadOrg
            row.reassignments += 1
        case .closed(let closed):
            row.status = "closed"
            row.resolution = closed.resolution
            row.closedOn = closed.closedOn
        case .reopened:
            row.status = "open"
            row.resolution = nil
            row.closedOn = nil
        }
        return row
    }
}
