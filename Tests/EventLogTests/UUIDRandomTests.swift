import EventLog
import Foundation
import Testing

/// Event ids made without Foundation's per-id device read.
@Suite struct UUIDRandomTests {
    @Test func randomIdsAreVersionFourWithTheStandardVariantAndDistinct() {
        let ids = (0..<1000).map { _ in UUID.random() }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            let text = id.uuidString
            #expect(text[text.index(text.startIndex, offsetBy: 14)] == "4")
            #expect("89AB".contains(text[text.index(text.startIndex, offsetBy: 19)]))
        }
    }

    @Test func lowercasedStringIsTheHyphenatedLowercaseForm() throws {
        let id = try #require(UUID(uuidString: "0A1B2C3D-4E5F-4A7B-8C9D-AEBFC0D1E2F3"))
        #expect(id.lowercasedString == "0a1b2c3d-4e5f-4a7b-8c9d-aebfc0d1e2f3")
        for _ in 0..<100 {
            let random = UUID.random()
            #expect(random.lowercasedString == random.uuidString.lowercased())
        }
    }
}
