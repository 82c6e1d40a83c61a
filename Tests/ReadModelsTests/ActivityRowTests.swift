import Domain
import ReadModels
import Testing

@Suite struct ActivityRowTests {
    static func fold(_ events: [(String, String)]) throws -> ActivityRow? {
        var row: ActivityRow?
        for (index, (type, data)) in events.enumerated() {
            let event = try #require(try DomainEvent(EventPayload(type: type, data: data)))
            let origin = EventOrigin(
                position: Int64(index + 1),
                eventID: "e\(index + 1)",
                stream: "activity-a1",
                recordedOn: try ISODate(parsing: "2025-03-1\(index)")
            )
            row = ActivityRow.applying(event, to: row, origin: origin)
        }
        return row
    }

    static let logged = (
        "ActivityLogged",
        #"{"attendance":42,"community_area":{"name":"Austin","number":25},"kind":"listening-session","#
            + #""languages":["en","es"],"occurred_on":"2025-03-01","org":"cbo-1","#
            + #""police_district":{"name":"Austin","number":15},"schema":2,"themes":["trust","youth"]}"#
    )

    @Test func aLoggedActivityCarriesAreaDistrictAndMonth() throws {
        let row = try #require(try Self.fold([Self.logged]))
        #expect(row.id == "a1" && row.org == "cbo-1" && row.kind == "listening-session")
        #expect(row.month == "2025-03" && row.areaNumber == 25 && row.areaName == "Austin")
        #expect(row.policeDistrict == 15 && row.policeDistrictName == "Austin")
        #expect(row.attendance == 42 && row.themes == ["trust", "youth"] && row.languages == ["en", "es"])
        #expect(row.status == "recorded" && row.isRecorded && row.corrections == 0 && row.caseID == nil)
    }

    @Test func correctionsChangeOnlyTheFieldsTheyGive() throws {
        let row = try #require(
            try Self.fold([
                Self.logged,
                (
                    "ActivityCorrected",
                    #"{"attendance":44,"community_area":{"name":"West Town","number":24},"occurred_on":"2025-04-02","#
                        + #""case_id":"c1","reason":"recount","schema":1}"#
                ),
                ("ActivityCorrected", #"{"reason":"themes","schema":1,"themes":["trust"]}"#),
            ])
        )
        #expect(row.attendance == 44 && row.areaNumber == 24 && row.areaName == "West Town")
        #expect(row.occurredOn == (try ISODate(parsing: "2025-04-02")) && row.month == "2025-04")
        #expect(row.policeDistrict == 15, "a correction without a district keeps it")
        #expect(row.themes == ["trust"] && row.caseID == "c1" && row.corrections == 2)
        #expect(row.kind == "listening-session" && row.languages == ["en", "es"])
    }

    @Test func aRetractedActivityKeepsItsRowAndCountsNowhere() throws {
        let row = try #require(
            try Self.fold([Self.logged, ("ActivityRetracted", #"{"reason":"entered twice","schema":1}"#)])
        )
        #expect(row.status == "retracted" && !row.isRecorded && row.retractionReason == "entered twice")
        #expect(row.retractedOn == (try ISODate(parsing: "2025-03-11")) && row.attendance == 42)
    }

    @Test func aSchemaOneActivityHasItsThemeAsAList() throws {
        let row = try #require(
            try Self.fold([
                (
                    "ActivityLogged",
                    #"{"attendance":5,"kind":"survey","languages":[],"occurred_on":"2025-01-31","org":"cbo-2","#
                        + #""schema":1,"theme":"trust"}"#
                )
            ])
        )
        #expect(row.themes == ["trust"] && row.areaNumber == nil && row.month == "2025-01")
    }
}
