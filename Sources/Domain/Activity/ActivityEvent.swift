/// The events of an `activity-<uuid>` stream. History is corrected by new events, never by edits.
public enum ActivityEvent: Sendable, Hashable {
    case logged(ActivityLogged)
    case corrected(ActivityCorrected)
    case retracted(ActivityRetracted)

    /// The stored form: type and JSON data.
    public var payload: EventPayload {
        switch self {
        case .logged(let body): body.payload
        case .corrected(let body): body.payload
        case .retracted(let body): body.payload
        }
    }

    /// Reads a stored event back (upcasting older schemas); `INVALID` when it is not an activity event or unreadable.
    public init(_ payload: EventPayload) throws(DomainError) {
        switch payload.type {
        case ActivityLogged.eventType: self = .logged(try ActivityLogged(payload: payload))
        case ActivityCorrected.eventType: self = .corrected(try ActivityCorrected(payload: payload))
        case ActivityRetracted.eventType: self = .retracted(try ActivityRetracted(payload: payload))
        default: throw .invalid("type", "\(payload.type) is not an activity event")
        }
    }
}

/// An engagement activity an organization held: counts, never names, of the residents reached.
public struct ActivityLogged: Sendable, Hashable, Codable, EventBody {
    static let eventType = "ActivityLogged"
    /// Schema 2 tags an activity with a list of `themes`; schema 1 had one optional `theme`.
    static let schema = 2
    public let org: String
    public let kind: ActivityKind
    public let occurredOn: ISODate
    public let communityArea: CommunityArea?
    public let policeDistrict: PoliceDistrict?
    public let attendance: Int
    public let languages: [String]
    public let themes: [String]
    public let summary: String?
    public let caseID: String?

    enum CodingKeys: String, CodingKey {
        case org, kind, attendance, languages, themes, summary
        case occurredOn = "occurred_on"
        case communityArea = "community_area"
        case policeDistrict = "police_district"
        case caseID = "case_id"
    }

    /// The activity as a correction leaves it.
    func corrected(by correction: ActivityCorrected) -> ActivityLogged {
        ActivityLogged(
            org: org,
            kind: correction.kind ?? kind,
            occurredOn: correction.occurredOn ?? occurredOn,
            communityArea: correction.communityArea ?? communityArea,
            policeDistrict: correction.policeDistrict ?? policeDistrict,
            attendance: correction.attendance ?? attendance,
            languages: correction.languages ?? languages,
            themes: correction.themes ?? themes,
            summary: correction.summary ?? summary,
            caseID: correction.caseID ?? caseID
        )
    }

    static func upcast(from schema: Int, decoder: any Decoder) throws -> ActivityLogged {
        let old = try SchemaOne(from: decoder)
        return ActivityLogged(
            org: old.org,
            kind: old.kind,
            occurredOn: old.occurredOn,
            communityArea: old.communityArea,
            policeDistrict: old.policeDistrict,
            attendance: old.attendance,
            languages: old.languages,
            themes: old.theme.map { [$0] } ?? [],
            summary: old.summary,
            caseID: old.caseID
        )
    }

    /// The schema 1 shape: one optional `theme` instead of `themes`.
    private struct SchemaOne: Decodable {
        let org: String
        let kind: ActivityKind
        let occurredOn: ISODate
        let communityArea: CommunityArea?
        let policeDistrict: PoliceDistrict?
        let attendance: Int
        let languages: [String]
        let theme: String?
        let summary: String?
        let caseID: String?

        enum CodingKeys: String, CodingKey {
            case org, kind, attendance, languages, theme, summary
            case occurredOn = "occurred_on"
            case communityArea = "community_area"
            case policeDistrict = "police_district"
            case caseID = "case_id"
        }
    }
}

/// Corrected values of an activity (only the fields that changed) and why.
public struct ActivityCorrected: Sendable, Hashable, Codable, EventBody {
    static let eventType = "ActivityCorrected"
    public let kind: ActivityKind?
    public let occurredOn: ISODate?
    public let communityArea: CommunityArea?
    public let policeDistrict: PoliceDistrict?
    public let attendance: Int?
    public let languages: [String]?
    public let themes: [String]?
    public let summary: String?
    public let caseID: String?
    public let reason: String

    enum CodingKeys: String, CodingKey {
        case kind, attendance, languages, themes, summary, reason
        case occurredOn = "occurred_on"
        case communityArea = "community_area"
        case policeDistrict = "police_district"
        case caseID = "case_id"
    }

    /// This correction less the values `activity` already has.
    func changes(to activity: ActivityLogged) -> ActivityCorrected {
        func changed<Value: Equatable>(_ new: Value?, _ old: Value?) -> Value? { new == old ? nil : new }
        return ActivityCorrected(
            kind: changed(kind, activity.kind),
            occurredOn: changed(occurredOn, activity.occurredOn),
            communityArea: changed(communityArea, activity.communityArea),
            policeDistrict: changed(policeDistrict, activity.policeDistrict),
            attendance: changed(attendance, activity.attendance),
            languages: changed(languages, activity.languages),
            themes: changed(themes, activity.themes),
            summary: changed(summary, activity.summary),
            caseID: changed(caseID, activity.caseID),
            reason: reason
        )
    }

    /// Whether the correction changes no value.
    var isEmpty: Bool { self == ActivityCorrected(reason: reason) }

    init(
        kind: ActivityKind? = nil,
        occurredOn: ISODate? = nil,
        communityArea: CommunityArea? = nil,
        policeDistrict: PoliceDistrict? = nil,
        attendance: Int? = nil,
        languages: [String]? = nil,
        themes: [String]? = nil,
        summary: String? = nil,
        caseID: String? = nil,
        reason: String
    ) {
        self.kind = kind
        self.occurredOn = occurredOn
        self.communityArea = communityArea
        self.policeDistrict = policeDistrict
        self.attendance = attendance
        self.languages = languages
        self.themes = themes
        self.summary = summary
        self.caseID = caseID
        self.reason = reason
    }
}

/// The activity is withdrawn from the record (it stays in the history) with a reason.
public struct ActivityRetracted: Sendable, Hashable, Codable, EventBody {
    static let eventType = "ActivityRetracted"
    public let reason: String
}
