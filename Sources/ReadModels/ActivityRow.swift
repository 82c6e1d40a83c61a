public import Domain

/// An engagement activity as the activity list and statistics count it: as logged, with every
/// correction applied; a retracted activity keeps its row and is counted nowhere.
public struct ActivityRow: ReadModelRow {
    public var id: String
    public var org: String
    public var kind: String
    public var occurredOn: ISODate
    /// `yyyy-mm` of `occurredOn`, the month statistics group by.
    public var month: String
    public var areaNumber: Int?
    public var areaName: String?
    public var policeDistrict: Int?
    public var policeDistrictName: String?
    public var attendance: Int
    public var languages: [String]
    public var themes: [String]
    public var summary: String?
    public var caseID: String?
    /// recorded or retracted.
    public var status: String
    /// How many corrections have been applied.
    public var corrections: Int
    public var loggedOn: ISODate
    public var retractedOn: ISODate?
    public var retractionReason: String?

    enum CodingKeys: String, CodingKey {
        case id, org, kind, month, attendance, languages, themes, summary, status, corrections
        case occurredOn = "occurred_on"
        case areaNumber = "area_number"
        case areaName = "area_name"
        case policeDistrict = "police_district"
        case policeDistrictName = "police_district_name"
        case caseID = "case_id"
        case loggedOn = "logged_on"
        case retractedOn = "retracted_on"
        case retractionReason = "retraction_reason"
    }

    public static let eventTypePrefix = "Activity"

    public static func key(of event: DomainEvent, origin: EventOrigin) -> String? {
        guard case .activity = event else { return nil }
        return entityID(origin.stream)
    }

    public static func applying(_ event: DomainEvent, to current: ActivityRow?, origin: EventOrigin)
        -> ActivityRow?
    {
        guard case .activity(let event) = event else { return current }
        if case .logged(let logged) = event {
            var row = ActivityRow(
                id: entityID(origin.stream),
                org: logged.org,
                kind: logged.kind.rawValue,
                occurredOn: logged.occurredOn,
                month: Self.month(of: logged.occurredOn),
                attendance: logged.attendance,
                languages: logged.languages,
                themes: logged.themes,
                summary: logged.summary,
                caseID: logged.caseID,
                status: "recorded",
                corrections: 0,
                loggedOn: origin.recordedOn
            )
            row.set(area: logged.communityArea, district: logged.policeDistrict)
            return row
        }
        guard var row = current else { return nil }
        switch event {
        case .logged: break
        case .corrected(let correction):
            row.kind = correction.kind?.rawValue ?? row.kind
            if let occurredOn = correction.occurredOn {
                row.occurredOn = occurredOn
                row.month = Self.month(of: occurredOn)
            }
            row.attendance = correction.attendance ?? row.attendance
            row.languages = correction.languages ?? row.languages
            row.themes = correction.themes ?? row.themes
            row.summary = correction.summary ?? row.summary
            row.caseID = correction.caseID ?? row.caseID
            row.set(area: correction.communityArea, district: correction.policeDistrict)
            row.corrections += 1
        case .retracted(let retraction):
            row.status = "retracted"
            row.retractedOn = origin.recordedOn
            row.retractionReason = retraction.reason
        }
        return row
    }

    /// Whether the activity counts in statistics.
    public var isRecorded: Bool { status == "recorded" }

    /// Sets the area and district that are given, leaving the others as they are.
    private mutating func set(area: CommunityArea?, district: PoliceDistrict?) {
        if let area {
            areaNumber = area.number
            areaName = area.name
        }
        if let district {
            policeDistrict = district.number
            policeDistrictName = district.name
        }
    }

    /// `yyyy-mm` of `date`.
    public static func month(of date: ISODate) -> String { String(date.description.prefix(7)) }
}
