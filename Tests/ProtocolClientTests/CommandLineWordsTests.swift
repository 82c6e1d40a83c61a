import AdminProtocol
import ProtocolClient
import Testing

/// The client's words become the protocol's, as the README and each subcommand's help promise.
@Suite struct CommandLineWordsTests {
    static func words(_ noun: String, _ verb: String, _ arguments: [String]) throws -> [String] {
        let spec = try #require(CommandTable.standard.commands["\(noun) \(verb)"])
        return CommandLineWords(noun: noun, verb: verb, synopsis: spec.synopsis).protocolWords(arguments)
    }

    @Test func flagsAreBareWordsAndOptionsAreFields() throws {
        #expect(
            try Self.words("COMMITMENT", "LIST", ["--overdue", "--org", "cbo-1"])
                == ["COMMITMENT", "LIST", "OVERDUE", "ORG", "cbo-1"]
        )
        #expect(
            try Self.words("ACTIVITY", "LOG", ["--kind", "canvass", "--occurred-on=2025-05-01", "--summary", "a -- b"])
                == ["ACTIVITY", "LOG", "KIND", "canvass", "OCCURRED_ON", "2025-05-01", "SUMMARY", "a -- b"]
        )
    }

    @Test func idsPassAsTheyAreAndHyphenatedProtocolWordsKeepTheirHyphen() throws {
        #expect(
            try Self.words("COMMITMENT", "FULFIL", ["0b6c", "--evidence", "minutes", "--fulfilled-on", "2025-02-01"])
                == ["COMMITMENT", "FULFIL", "0b6c", "EVIDENCE", "minutes", "FULFILLED_ON", "2025-02-01"]
        )
        let list = try Self.words("COMMITMENT", "LIST", ["--as-of", "120", "--due-before", "2025-07-01"])
        #expect(list == ["COMMITMENT", "LIST", "AS-OF", "120", "DUE-BEFORE", "2025-07-01"])
    }
}
