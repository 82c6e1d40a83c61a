import Domain
import EventLog
import Projections
import ReadModels
import Testing

/// Activities and their statistics in PostgreSQL: list filters, corrections and retractions,
/// grouping, lineage, as-of.
@Suite struct ActivityStatisticsTests {
    @Test func theListFiltersByOrgAreaThemeDatesAndCase() async throws {
        try await ProjectionHarness.with(projections: [ReadModelCatalog.activities]) { harness in
            let caseID = ProjectionHarness.newID()
            let march = try await harness.logActivity(on: "2025-03-01", attendance: 10, themes: ["trust"])
            let april = try await harness.logActivity(
                org: "cbo-2",
                on: "2025-04-15",
                area: (24, "West Town"),
                attendance: 20,
                themes: ["trust", "youth"],
                caseID: caseID
            )
            let may = try await harness.logActivity(on: "2025-05-31", area: nil, attendance: 30, themes: ["youth"])
            _ = try await harness.caughtUp("activities")

            let all = try await harness.queries.activities(ActivityFilter())
            #expect(all.rows.map(\.row.id) == [may, april, march], "most recent first")
            var filter = ActivityFilter()
            filter.org = "cbo-2"
            #expect(try await harness.queries.activities(filter).rows.map(\.row.id) == [april])
            filter = ActivityFilter()
            filter.area = 25
            #expect(try await harness.queries.activities(filter).rows.map(\.row.id) == [march])
            filter = ActivityFilter()
            filter.theme = "youth"
            #expect(try await harness.queries.activities(filter).rows.map(\.row.id) == [may, april])
            filter = ActivityFilter()
            filter.since = try ISODate(parsing: "2025-04-15")
            filter.until = try ISODate(parsing: "2025-05-31")
            #expect(try await harness.queries.activities(filter).rows.map(\.row.id) == [may, april], "both included")
            filter = ActivityFilter()
            filter.caseID = caseID
            #expect(try await harness.queries.activities(filter).rows.map(\.row.id) == [april])
            filter = ActivityFilter()
            filter.limit = 2
            #expect(try await harness.queries.activities(filter).rows.map(\.row.id) == [may, april])
        }
    }

    @Test func statisticsCountCorrectionsAsCorrectedAndRetractionsNowhere() async throws {
        try await ProjectionHarness.with(projections: [ReadModelCatalog.activities]) { harness in
            let first = try await harness.logActivity(on: "2025-03-01", attendance: 10, themes: ["trust"])
            try await harness.logActivity(
                org: "cbo-2",
                on: "2025-03-20",
                area: (24, "West Town"),
                attendance: 20,
                themes: ["trust", "youth"]
            )
            let third = try await harness.logActivity(on: "2025-04-02", attendance: 30, themes: [])
            _ = try await harness.caughtUp("activities")
            let before = try await harness.queries.activityStatistics(by: .area)
            #expect(before.rows.map(Self.figures) == ["24 West Town 1 20", "25 Austin 2 40"])

            let correction = try await harness.append(
                "activity-\(first)",
                "ActivityCorrected",
                #"{"attendance":12,"community_area":{"name":"West Town","number":24},"reason":"recount","schema":1}"#
            )
            let retraction = try await harness.append(
                "activity-\(third)",
                "ActivityRetracted",
                #"{"reason":"entered twice","schema":1}"#
            )
            _ = try await harness.caughtUp("activities")

            let areas = try await harness.queries.activityStatistics(by: .area)
            #expect(areas.rows.map(Self.figures) == ["24 West Town 2 32"], "Austin lost both of its activities")
            #expect(areas.rows.first?.position == correction, "lineage: the last event that changed the group")

            let orgs = try await harness.queries.activityStatistics(by: .org)
            #expect(orgs.rows.map(Self.figures) == ["cbo-1 - 1 12", "cbo-2 - 1 20"])
            #expect(orgs.rows.first?.position == retraction, "the retraction changed cbo-1's figures last")

            let themes = try await harness.queries.activityStatistics(by: .theme)
            #expect(themes.rows.map(Self.figures) == ["trust - 2 32", "youth - 1 20"], "themes unnested")

            let months = try await harness.queries.activityStatistics(by: .month)
            #expect(months.rows.map(Self.figures) == ["2025-03 - 2 32"])

            let late = try await harness.queries.activityStatistics(
                by: .org,
                since: try ISODate(parsing: "2025-03-02"),
                until: try ISODate(parsing: "2025-03-20")
            )
            #expect(late.rows.map(Self.figures) == ["cbo-2 - 1 20"], "since and until are both included")

            let then = try await harness.queries.activityStatistics(
                by: .area,
                at: QueryMoment(asOf: .position(correction - 1))
            )
            #expect(then.rows.map(Self.figures) == before.rows.map(Self.figures))
            #expect(then.rows.map(\.supersededAt) == [correction, correction], "the correction changed both areas")
        }
    }

    @Test func activitiesWithoutAThemeOrAreaFormTheirOwnGroup() async throws {
        try await ProjectionHarness.with(projections: [ReadModelCatalog.activities]) { harness in
            try await harness.logActivity(on: "2025-03-01", area: nil, attendance: 7)
            try await harness.logActivity(on: "2025-03-02", attendance: 3, themes: ["trust"])
            _ = try await harness.caughtUp("activities")
            let themes = try await harness.queries.activityStatistics(by: .theme)
            #expect(themes.rows.map(Self.figures) == ["trust - 1 3", "- - 1 7"])
            let areas = try await harness.queries.activityStatistics(by: .area)
            #expect(areas.rows.map(Self.figures) == ["25 Austin 1 3", "- - 1 7"])
        }
    }

    @Test func statisticsGroupByPoliceDistrictAndFilterByOrganization() async throws {
        try await ProjectionHarness.with(projections: [ReadModelCatalog.activities]) { harness in
            try await harness.logActivity(on: "2025-03-01", district: (11, "Harrison"), attendance: 10)
            try await harness.logActivity(org: "cbo-2", on: "2025-03-02", district: (11, "Harrison"), attendance: 5)
            try await harness.logActivity(org: "cbo-2", on: "2025-03-03", district: (9, "Deering"), attendance: 7)
            try await harness.logActivity(on: "2025-03-04", attendance: 2)
            _ = try await harness.caughtUp("activities")

            let districts = try await harness.queries.activityStatistics(by: .district)
            #expect(
                districts.rows.map(Self.figures) == ["9 Deering 1 7", "11 Harrison 2 15", "- - 1 2"],
                "by district number, not as text; activities without a district form their own group"
            )
            let ofOne = try await harness.queries.activityStatistics(by: .district, org: "cbo-2")
            #expect(ofOne.rows.map(Self.figures) == ["9 Deering 1 7", "11 Harrison 1 5"])
            let areas = try await harness.queries.activityStatistics(by: .area, org: "cbo-1")
            #expect(areas.rows.map(Self.figures) == ["25 Austin 2 12"])
            #expect(try await harness.queries.activityStatistics(by: .org, org: "cbo-9").rows.isEmpty)
        }
    }

    /// `AS-OF p` answers what the live list and statistics answered when the head was p.
    @Test func asOfAnswersWhatTheLiveStatisticsSaidThen() async throws {
        try await ProjectionHarness.with(projections: [ReadModelCatalog.activities]) { harness in
            var recorded: [(LogPosition, [String], [String], [String])] = []
            var ids: [String] = []
            let areas = [(25, "Austin"), (24, "West Town"), (8, "Near North Side")]
            for round in 0..<10 {
                ids.append(
                    try await harness.logActivity(
                        org: "cbo-\(round % 2)",
                        on: "2025-0\(round % 4 + 1)-1\(round)",
                        area: areas[round % 3],
                        attendance: 10 + round,
                        themes: round % 2 == 0 ? ["trust"] : ["trust", "youth"]
                    )
                )
                if round % 3 == 2 {
                    try await harness.append(
                        "activity-\(ids[round - 1])",
                        "ActivityCorrected",
                        #"{"attendance":\#(round * 7),"community_area":{"name":"Loop","number":32},"reason":"r","schema":1}"#
                    )
                }
                if round % 4 == 3 {
                    try await harness.append(
                        "activity-\(ids[round - 3])",
                        "ActivityRetracted",
                        #"{"reason":"r","schema":1}"#
                    )
                }
                let head = try await harness.caughtUp("activities")
                let list = try await harness.queries.activities(ActivityFilter())
                let byArea = try await harness.queries.activityStatistics(by: .area)
                let byTheme = try await harness.queries.activityStatistics(by: .theme)
                recorded.append(
                    (
                        head, list.rows.map { "\($0.row.id) \($0.row.status) \($0.row.attendance) \($0.position)" },
                        byArea.rows.map(Self.lineaged), byTheme.rows.map(Self.lineaged)
                    )
                )
            }
            for (head, list, byArea, byTheme) in recorded {
                let moment = QueryMoment(asOf: .position(head))
                let then = try await harness.queries.activities(ActivityFilter(), at: moment)
                #expect(
                    then.rows.map { "\($0.row.id) \($0.row.status) \($0.row.attendance) \($0.position)" } == list,
                    "list as of \(head)"
                )
                let areasThen = try await harness.queries.activityStatistics(by: .area, at: moment)
                #expect(areasThen.rows.map(Self.lineaged) == byArea, "areas as of \(head)")
                let themesThen = try await harness.queries.activityStatistics(by: .theme, at: moment)
                #expect(themesThen.rows.map(Self.lineaged) == byTheme, "themes as of \(head)")
            }
        }
    }

    static func figures(_ row: Lineaged<ActivityStatistic>) -> String {
        "\(row.row.group ?? "-") \(row.row.label ?? "-") \(row.row.sessions) \(row.row.attendance)"
    }

    static func lineaged(_ row: Lineaged<ActivityStatistic>) -> String {
        "\(figures(row)) \(row.position) \(row.eventID)"
    }
}
