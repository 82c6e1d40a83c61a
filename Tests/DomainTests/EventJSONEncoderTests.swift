import Foundation
import Testing

@testable import Domain

/// Event data is written without `JSONEncoder`, byte for byte as `JSONEncoder` (sorted keys,
/// slashes unescaped) writes it.
@Suite struct EventJSONEncoderTests {
    struct Probe: Codable {
        struct Place: Codable {
            let number: Int
            let name: String?
        }
        let text: String
        let texts: [String]
        let count: Int
        let big: Int64
        let flag: Bool
        let place: Place?
        let places: [Place]
        let maybe: [String?]
        let missing: String?
        let caseID: String

        enum CodingKeys: String, CodingKey {
            case text, texts, count, big, flag, place, places, maybe, missing
            case caseID = "case_id"
        }
    }

    /// Every character `JSONEncoder` escapes, and some it leaves alone.
    static let awkward =
        String((0..<0x80).map { Character(Unicode.Scalar($0)!) }) + "é ü 中文 \u{2028}\u{2029} 🚓 a/b \\\"q\""

    @Test func writesWhatJSONEncoderWrites() throws {
        let probes = [
            Probe(
                text: Self.awkward,
                texts: ["", Self.awkward, "plain"],
                count: -42,
                big: .max,
                flag: true,
                place: .init(number: 25, name: "Austin"),
                places: [.init(number: 1, name: nil), .init(number: 77, name: "Edgewater")],
                maybe: ["x", nil],
                missing: nil,
                caseID: "case-1"
            ),
            Probe(
                text: "",
                texts: [],
                count: 0,
                big: .min,
                flag: false,
                place: nil,
                places: [],
                maybe: [],
                missing: "here",
                caseID: ""
            ),
        ]
        for probe in probes {
            #expect(try EventJSONEncoder.encode(probe) == ReferenceJSON.encoded(probe))
        }
    }

    @Test func refusesFractions() {
        #expect(throws: EncodingError.self) { try EventJSONEncoder.encode(["ratio": 0.5]) }
    }
}

/// `JSONEncoder`'s text of event bodies, to compare the event data writer with.
enum ReferenceJSON {
    static func encoded(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The body `event` carries, written by the event data writer and by `JSONEncoder`.
    static func texts(of event: DomainEvent) throws -> (written: String, reference: String) {
        var value: Any = event
        while !(value is any EventBody), let inner = Mirror(reflecting: value).children.first?.value {
            value = inner
        }
        guard let body = value as? any EventBody else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "no event body"))
        }
        return (try EventJSONEncoder.encode(body), try encoded(body))
    }
}
