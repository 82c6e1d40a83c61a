import EventLog
import Testing

@Suite struct StreamNameTests {
    @Test(arguments: ["case-6f1c2a70-1b8e-4d4e-9d7e-0c1f2e3d4a5b", "org-cpd", "user-ana.lopez", "followup-1", "x-y"])
    func acceptsKindDashId(_ name: String) throws {
        #expect(try StreamName(name).rawValue == name)
    }

    @Test(arguments: [
        ("", "must not be empty"),
        ("case", "must be <kind>-<id>"),
        ("-42", "must be <kind>-<id>"),
        ("case-", "must be <kind>-<id>"),
        ("Case-1", "kind must be lowercase"),
        ("1case-1", "kind must be lowercase"),
        ("case-has space", "id may hold only"),
        ("case-line\nbreak", "id may hold only"),
        ("case-ünïcode", "id may hold only"),
    ])
    func rejectsMalformedNames(_ name: String, _ rule: String) {
        #expect {
            try StreamName(name)
        } throws: { error in
            let error = error as? EventLogError
            return error?.code == .invalid && error?.message.hasPrefix("stream: ") == true
                && error?.message.contains(rule) == true
        }
    }

    @Test func rejectsOverlongNames() {
        let name = "case-" + String(repeating: "a", count: StreamName.maxLength)
        #expect(throws: EventLogError.invalid("stream", "must be at most \(StreamName.maxLength) bytes")) {
            try StreamName(name)
        }
    }

    @Test func kindIsThePartBeforeTheFirstDash() throws {
        #expect(try StreamName("commitment-a-b").kind == "commitment")
    }
}

@Suite struct ExpectedVersionTests {
    @Test func parsesTheFourForms() throws {
        #expect(try ExpectedVersion(parsing: "any") == .any)
        #expect(try ExpectedVersion(parsing: "NO-STREAM") == .noStream)
        #expect(try ExpectedVersion(parsing: "exists") == .exists)
        #expect(try ExpectedVersion(parsing: "7") == .exact(7))
    }

    @Test(arguments: ["-1", "soon", "", "1.5"])
    func rejectsOtherText(_ text: String) {
        #expect(throws: EventLogError.self) { try ExpectedVersion(parsing: text) }
    }

    @Test func satisfactionFollowsEventStoreSemantics() {
        #expect(ExpectedVersion.any.isSatisfied(by: -1) && ExpectedVersion.any.isSatisfied(by: 4))
        #expect(ExpectedVersion.noStream.isSatisfied(by: -1) && !ExpectedVersion.noStream.isSatisfied(by: 0))
        #expect(!ExpectedVersion.exists.isSatisfied(by: -1) && ExpectedVersion.exists.isSatisfied(by: 0))
        #expect(ExpectedVersion.exact(3).isSatisfied(by: 3) && !ExpectedVersion.exact(3).isSatisfied(by: 2))
    }

    @Test func wrongVersionNamesExpectedAndActual() throws {
        let error = EventLogError.wrongVersion(stream: try StreamName("case-1"), expected: .exact(2), actual: -1)
        #expect(error.description == "WRONGVERSION stream case-1 expected version 2, actual no-stream")
    }
}

@Suite struct NewEventTests {
    @Test func canonicalizesPayloads() throws {
        let event = try NewEvent(type: "CaseOpened", data: #"{ "b": 1.50, "a": [true] }"#, metadata: #"{"z":"é"}"#)
        #expect(event.data == #"{"a":[true],"b":1.5}"#)
        #expect(event.metadata == #"{"z":"é"}"#)
    }

    @Test(arguments: [
        "", "1abc", "has space", "Case\nOpened", String(repeating: "A", count: NewEvent.maxTypeLength + 1),
    ])
    func rejectsBadTypes(_ type: String) {
        #expect {
            try NewEvent(type: type, data: "{}")
        } throws: { error in
            (error as? EventLogError)?.message.hasPrefix("type: ") == true
        }
    }

    @Test(arguments: ["[1]", "\"text\"", "nope", "{\"a\":1", "", "{\"a\":1,\"a\":2}"])
    func rejectsDataThatIsNotAJSONObject(_ data: String) {
        #expect {
            try NewEvent(type: "CaseOpened", data: data)
        } throws: { error in
            let error = error as? EventLogError
            return error?.code == .invalid && error?.message.hasPrefix("data: must be a JSON object") == true
        }
    }
}

@Suite struct TimestampTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000000Z"),
        (1_732_509_182_123_456, "2024-11-25T04:33:02.123456Z"),
        (951_782_400_000_001, "2000-02-29T00:00:00.000001Z"),
        (-1, "1969-12-31T23:59:59.999999Z"),
        (253_402_300_799_999_999, "9999-12-31T23:59:59.999999Z"),
        (-62_167_219_200_000_000, "0000-01-01T00:00:00.000000Z"),
        (253_402_300_800_000_000, "10000-01-01T00:00:00.000000Z"),
    ])
    func formatsMicrosecondsAsISO8601(_ micros: Int64, _ text: String) {
        #expect(Timestamp(microsecondsSinceEpoch: micros).iso8601 == text)
    }
}
