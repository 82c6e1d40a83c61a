import EventLog
import Foundation
import Testing

/// The test vectors docs/integrity.md publishes: a three-event log, each row's columns and hash.
@Suite struct IntegrityVectorTests {
    static let rows: [(Int64, String, Int64, String, String, String, String, String, String)] = [
        (
            1, "case-1", 0, "00000000-0000-4000-8000-000000000001", "CaseNoteAdded", "2024-11-25T04:33:02.000001Z",
            #"{"note":"n1 ✓"}"#, "{}", "df06376435915fda398ff47bbef45496f83ccb086e4b52852738c378ac9cad24"
        ),
        (
            2, "case-1", 1, "00000000-0000-4000-8000-000000000002", "CaseNoteAdded", "2024-11-25T04:33:02.500000Z",
            #"{"note":"n2"}"#, #"{"actor":"ada"}"#, "434827f35dffc61c1c2f8c214e197485a2efc367bfadc024424714362d86a02e"
        ),
        (
            3, "org-cbo-one", 0, "00000000-0000-4000-8000-000000000003", "OrganizationRegistered",
            "2024-11-25T04:33:03.000000Z", #"{"kind":"cbo","name":"One"}"#, "{}",
            "12dcaec5cd7a69f11922ce30b45e9ab19712f6da5cf1718cc4572ad3f0e660fe"
        ),
    ]

    @Test func theDocumentedThreeEventLogHashesAsPublished() throws {
        var previous = EventChain.genesisHash
        for (position, stream, version, id, type, time, data, metadata, expected) in Self.rows {
            let event = RecordedEvent(
                position: position,
                stream: stream,
                version: version,
                id: try #require(UUID(uuidString: id)),
                type: type,
                data: data,
                metadata: metadata,
                recordedAt: try #require(Timestamp(iso8601: time)),
                previousHash: previous,
                hash: []
            )
            let hash = EventChain.hash(of: event, after: previous)
            #expect(Hex.encode(hash) == expected, "position \(position)")
            previous = hash
        }
        let first = Self.rows[0]
        let event = RecordedEvent(
            position: first.0,
            stream: first.1,
            version: first.2,
            id: try #require(UUID(uuidString: first.3)),
            type: first.4,
            data: first.6,
            metadata: first.7,
            recordedAt: try #require(Timestamp(iso8601: first.5)),
            previousHash: EventChain.genesisHash,
            hash: []
        )
        #expect(
            Hex.encode(EventChain.canonicalBytes(of: event))
                == "636173656c6f672d6576656e742f310a310a636173652d310a300a30303030303030302d303030302d343030302d"
                + "383030302d3030303030303030303030310a436173654e6f746541646465640a323032342d31312d32355430343a"
                + "33333a30322e3030303030315a0a7b226e6f7465223a226e3120e29c93227d0a7b7d"
        )
    }
}
