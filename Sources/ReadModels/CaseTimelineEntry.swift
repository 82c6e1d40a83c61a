public import Domain

/// One entry of a case's timeline: an event of the case itself, or of another entity that names
/// the case (a commitment or activity made for it, a follow-up scheduled about it).
public struct CaseTimelineEntry: Sendable, Hashable {
    /// The case's id (the uuid, without `case-`).
    public let caseID: String
    /// The stream of the event, which is the case's own or the entity naming it.
    public let stream: String
    /// The event type, e.g. `CaseNoteAdded` or `CommitmentMade`.
    public let type: String
    /// One line saying what happened.
    public let summary: String
    public let recordedOn: ISODate

    public init(caseID: String, stream: String, type: String, summary: String, recordedOn: ISODate) {
        self.caseID = caseID
        self.stream = stream
        self.type = type
        self.summary = summary
        self.recordedOn = recordedOn
    }

    /// The entry `event` (stored as `type`) adds to a case's timeline, or nil when it names no case.
    public static func entry(for event: DomainEvent, type: String, origin: EventOrigin) -> CaseTimelineEntry? {
        guard let (caseID, summary) = describe(event, stream: origin.stream) else { return nil }
        return CaseTimelineEntry(
            caseID: caseID,
            stream: origin.stream,
            type: type,
            summary: summary,
            recordedOn: origin.recordedOn
        )
    }

    /// The case an event names and its summary line.
    private static func describe(_ event: DomainEvent, stream: String) -> (String, String)? {
        switch event {
        case .case(let event):
            return (CaseRow.entityID(stream), describe(event))
        case .commitment(.made(let made)):
            guard let caseID = made.caseID else { return nil }
            return (caseID, "\(made.ownerOrg) committed to \(made.madeTo): \(made.text) (due \(made.dueOn))")
        case .activity(.logged(let logged)):
            guard let caseID = logged.caseID else { return nil }
            let area = logged.communityArea.map { " in \($0.name)" } ?? ""
            return (
                caseID,
                "\(logged.org) held a \(logged.kind.rawValue)\(area) on \(logged.occurredOn), "
                    + "\(logged.attendance) attending"
            )
        case .activity(.corrected(let correction)):
            guard let caseID = correction.caseID else { return nil }
            return (caseID, "activity linked to the case by a correction: \(correction.reason)")
        case .followUp(.scheduled(let scheduled)):
            guard scheduled.about.hasPrefix("case-") else { return nil }
            let note = scheduled.note.map { ": \($0)" } ?? ""
            return (
                String(scheduled.about.dropFirst("case-".count)),
                "follow-up for \(scheduled.assigneeOrg), due \(scheduled.dueOn)\(note)"
            )
        default:
            return nil
        }
    }

    private static func describe(_ event: CaseEvent) -> String {
        switch event {
        case .opened(let opened):
            let areas = opened.communityAreas.map(\.name).joined(separator: ", ")
            return "opened \"\(opened.title)\", led by \(opened.leadOrg)" + (areas.isEmpty ? "" : ", in \(areas)")
        case .noteAdded(let note): return "note: \(note.note)"
        case .reassigned(let reassigned):
            return "reassigned to \(reassigned.leadOrg)" + (reassigned.reason.map { ": \($0)" } ?? "")
        case .closed(let closed): return "closed: \(closed.resolution)"
        case .reopened(let reopened): return "reopened" + (reopened.reason.map { ": \($0)" } ?? "")
        }
    }
}
