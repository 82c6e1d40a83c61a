import Domain
import Foundation
import Testing

@Suite struct ReferenceDataTests {
    /// Rows of a reference CSV shipped beside the tables (`number,name`, header skipped).
    static func csvRows(_ name: String) throws -> [(Int, String)] {
        let url = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appending(path: "Sources/Domain/Reference/\(name)")
        let text = try String(contentsOf: url, encoding: .utf8)
        let lines = text.split(whereSeparator: \.isNewline).dropFirst()
        return try lines.map { line in
            let parts = line.split(separator: ",", maxSplits: 1)
            let number = try #require(parts.count == 2 ? Int(parts[0]) : nil, "line \(line)")
            return (number, String(parts[1]))
        }
    }

    @Test func theSwiftTablesEqualTheShippedCSVFiles() throws {
        let areas = try Self.csvRows("community_areas.csv")
        #expect(areas.count == 77)
        #expect(CommunityArea.all.map(\.number) == areas.map(\.0))
        #expect(CommunityArea.all.map(\.name) == areas.map(\.1))
        let districts = try Self.csvRows("police_districts.csv")
        #expect(districts.count == 22)
        #expect(PoliceDistrict.all.map(\.number) == districts.map(\.0))
        #expect(PoliceDistrict.all.map(\.name) == districts.map(\.1))
    }

    @Test(arguments: ["ohare", "O'Hare", "OHARE", "o hare", "O’Hare", "76", "076", " 76 "])
    func oHareMatchesHoweverItIsWritten(text: String) throws {
        let area = try CommunityArea(parsing: text)
        #expect(area.number == 76)
        #expect(area.name == "O'Hare")
        #expect(area.description == "76 O'Hare")
    }

    @Test func everyAreaIsFoundByNumberAndName() {
        #expect(Set(CommunityArea.all.map(\.number)) == Set(1...77))
        for area in CommunityArea.all {
            #expect(CommunityArea.lookup(String(area.number)) == area)
            #expect(CommunityArea.lookup(area.name.uppercased()) == area)
            #expect(CommunityArea.lookup(area.name.lowercased().replacingOccurrences(of: " ", with: "")) == area)
        }
        #expect(CommunityArea.lookup("mckinley-park")?.number == 59)
    }

    @Test(arguments: ["0", "78", "-1", "Evanston", "", "7 7", "1.5"])
    func unknownAreasAreRefusedNamingTheField(text: String) {
        #expect(
            throws: DomainError.invalid(
                "community_area",
                "'\(text)' is not a community area; give its number (1-77) or name"
            )
        ) { try CommunityArea(parsing: text) }
    }

    @Test func theTwentyTwoDistrictsAreFoundAndTheMergedOnesAreNot() throws {
        #expect(
            PoliceDistrict.all.map(\.number) == [
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20, 22, 24, 25,
            ]
        )
        for district in PoliceDistrict.all {
            #expect(try PoliceDistrict(parsing: String(district.number)) == district)
        }
        #expect(try PoliceDistrict(parsing: "jefferson park").number == 16)
        for number in [0, 13, 21, 23, 26] {
            let error = #expect(throws: DomainError.self) { try PoliceDistrict(parsing: String(number)) }
            #expect(error?.code == .invalid)
            #expect(error?.message.hasPrefix("police_district: '\(number)' is not a police district") == true)
        }
    }

    /// Rows of `neighbourhoods.csv`: name, community area numbers (`;`-separated), source.
    static func neighbourhoodRows() throws -> [(String, [Int], String)] {
        let url = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appending(path: "Sources/Domain/Reference/neighbourhoods.csv")
        return try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst().map { line in
            let parts = line.split(separator: ",")
            try #require(parts.count == 3, "line \(line)")
            return (String(parts[0]), parts[1].split(separator: ";").compactMap { Int($0) }, String(parts[2]))
        }
    }

    @Test func theNeighbourhoodTableEqualsTheShippedCSVAndNamesEveryRowsSource() throws {
        let rows = try Self.neighbourhoodRows()
        #expect(Neighbourhood.all.map(\.name) == rows.map(\.0))
        #expect(Neighbourhood.all.map(\.areaNumbers) == rows.map(\.1))
        #expect(Neighbourhood.all.map(\.source.rawValue) == rows.map(\.2))
        for neighbourhood in Neighbourhood.all {
            #expect(!neighbourhood.areas.isEmpty && neighbourhood.areas.count == neighbourhood.areaNumbers.count)
            #expect(CommunityArea.all.allSatisfy { ReferenceKey.of($0.name) != ReferenceKey.of(neighbourhood.name) })
        }
    }

    @Test(arguments: [
        ("Pilsen", 31), ("little village", 30), ("La Villita", 30), ("WICKER PARK", 24), ("Chinatown", 34),
    ])
    func aNeighbourhoodStandsForTheAreaItLiesIn(name: String, number: Int) throws {
        #expect(try CommunityArea(parsing: name).number == number)
    }

    @Test func aNeighbourhoodSpanningTwoAreasIsRefusedListingBoth() {
        #expect(
            throws: DomainError.invalid(
                "community_area",
                "'Bronzeville' spans community areas 35 Douglas, 38 Grand Boulevard; give one of them"
            )
        ) { try CommunityArea(parsing: "Bronzeville") }
        #expect(CommunityArea.lookup("Back of the Yards") == nil)
    }

    @Test func languagesAreStoredAsCodesFromTheFixedList() throws {
        #expect(try FieldRules.languages(["Spanish", " en ", "ES", "polish"]) == ["es", "en", "pl"])
        #expect(Set(Language.all.map(\.code)).count == Language.all.count)
        #expect(
            throws: DomainError.invalid(
                "languages",
                "'xx' is not a known language; LANGUAGE LIST shows the codes and names"
            )
        ) { try FieldRules.languages(["en", "xx"]) }
    }
}

/// The matching key of reference names as the domain compares them: letters and digits, lowercased.
enum ReferenceKey {
    static func of(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.lowercased().unicodeScalars.filter {
                    $0.properties.isAlphabetic || $0.properties.numericType != nil
                }
            )
        )
    }
}
