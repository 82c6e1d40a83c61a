import Foundation
import Testing

@testable import AdminProtocol

/// Read-model rows become RESP maps as their JSON form reads, without a JSON round trip.
@Suite struct RESPValueEncoderTests {
    struct Day: Encodable {
        let text: String
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(text)
        }
    }

    struct Row: Encodable {
        enum CodingKeys: String, CodingKey {
            case status, attendance, share, ratio, isLate = "is_late", dueOn = "due_on", themes, note, counts, big
        }
        let status: String
        let attendance: Int
        let share: Double
        let ratio: Double
        let isLate: Bool
        let dueOn: Day
        let themes: [String]
        let note: String?
        let counts: [String: Int]
        let big: UInt64
    }

    @Test func aRowEncodesAsItsJSONFormReadsWithKeysSorted() throws {
        let row = Row(
            status: "open",
            attendance: 12,
            share: 3.0,
            ratio: 0.25,
            isLate: true,
            dueOn: Day(text: "2025-06-01"),
            themes: ["housing", "transit"],
            note: nil,
            counts: ["b": 2, "a": 1],
            big: UInt64.max
        )
        let value = try RESPValueEncoder.encode(row)
        #expect(
            value
                == .map(pairs: [
                    (.bulk("attendance"), .integer(12)),
                    (.bulk("big"), .double(Double(UInt64.max))),
                    (.bulk("counts"), .map(pairs: [(.bulk("a"), .integer(1)), (.bulk("b"), .integer(2))])),
                    (.bulk("due_on"), .bulk("2025-06-01")),
                    (.bulk("is_late"), .boolean(true)),
                    (.bulk("ratio"), .double(0.25)),
                    (.bulk("share"), .integer(3)),
                    (.bulk("status"), .bulk("open")),
                    (.bulk("themes"), .array([.bulk("housing"), .bulk("transit")])),
                ])
        )
    }
}
