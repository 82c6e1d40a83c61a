import NIOCore
import Testing

@testable import AdminProtocol

@Suite struct RESPEncoderTests {
    /// A value with its exact RESP2 and RESP3 encodings.
    struct Case: Sendable, CustomTestStringConvertible {
        let value: RESPValue
        let resp2: String
        let resp3: String
        var testDescription: String { resp3.debugDescription }
    }

    static let cases: [Case] = [
        Case(value: .ok, resp2: "+OK\r\n", resp3: "+OK\r\n"),
        Case(value: .pong, resp2: "+PONG\r\n", resp3: "+PONG\r\n"),
        Case(
            value: .error("WRONGVERSION stream x expected 1, actual 2"),
            resp2: "-WRONGVERSION stream x expected 1, actual 2\r\n",
            resp3: "-WRONGVERSION stream x expected 1, actual 2\r\n"
        ),
        Case(value: .integer(0), resp2: ":0\r\n", resp3: ":0\r\n"),
        Case(value: .integer(-42), resp2: ":-42\r\n", resp3: ":-42\r\n"),
        Case(value: .integer(.max), resp2: ":9223372036854775807\r\n", resp3: ":9223372036854775807\r\n"),
        Case(value: .integer(.min), resp2: ":-9223372036854775808\r\n", resp3: ":-9223372036854775808\r\n"),
        Case(value: .bulk("hello"), resp2: "$5\r\nhello\r\n", resp3: "$5\r\nhello\r\n"),
        Case(value: .bulk(""), resp2: "$0\r\n\r\n", resp3: "$0\r\n\r\n"),
        Case(value: .bulk("a\r\nb"), resp2: "$4\r\na\r\nb\r\n", resp3: "$4\r\na\r\nb\r\n"),
        Case(value: .bulk("ключ"), resp2: "$8\r\nключ\r\n", resp3: "$8\r\nключ\r\n"),
        Case(value: .null, resp2: "$-1\r\n", resp3: "_\r\n"),
        Case(value: .array([]), resp2: "*0\r\n", resp3: "*0\r\n"),
        Case(
            value: .array([.integer(1), .array([.bulk("x"), .null])]),
            resp2: "*2\r\n:1\r\n*2\r\n$1\r\nx\r\n$-1\r\n",
            resp3: "*2\r\n:1\r\n*2\r\n$1\r\nx\r\n_\r\n"
        ),
        Case(
            value: .bulkArray(["GET", "k"]),
            resp2: "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n",
            resp3: "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"
        ),
        Case(
            value: .map(pairs: [(.bulk("b"), .integer(2)), (.simpleString("a"), .boolean(true))]),
            resp2: "*4\r\n$1\r\nb\r\n:2\r\n+a\r\n:1\r\n",
            resp3: "%2\r\n$1\r\nb\r\n:2\r\n+a\r\n#t\r\n"
        ),
        Case(value: .map([]), resp2: "*0\r\n", resp3: "%0\r\n"),
        Case(
            value: .set([.bulk("a"), .double(1.5)]),
            resp2: "*2\r\n$1\r\na\r\n$3\r\n1.5\r\n",
            resp3: "~2\r\n$1\r\na\r\n,1.5\r\n"
        ),
        Case(
            value: .push([.bulk("message"), .bulk("ch"), .boolean(false)]),
            resp2: "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n:0\r\n",
            resp3: ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n#f\r\n"
        ),
        Case(value: .double(1.5), resp2: "$3\r\n1.5\r\n", resp3: ",1.5\r\n"),
        Case(value: .double(3), resp2: "$1\r\n3\r\n", resp3: ",3\r\n"),
        Case(value: .double(-0.25), resp2: "$5\r\n-0.25\r\n", resp3: ",-0.25\r\n"),
        Case(value: .double(0), resp2: "$1\r\n0\r\n", resp3: ",0\r\n"),
        Case(value: .double(-0.0), resp2: "$2\r\n-0\r\n", resp3: ",-0\r\n"),
        Case(value: .double(.infinity), resp2: "$3\r\ninf\r\n", resp3: ",inf\r\n"),
        Case(value: .double(-.infinity), resp2: "$4\r\n-inf\r\n", resp3: ",-inf\r\n"),
        Case(value: .double(.nan), resp2: "$3\r\nnan\r\n", resp3: ",nan\r\n"),
        Case(value: .double(1e100), resp2: "$6\r\n1e+100\r\n", resp3: ",1e+100\r\n"),
        Case(value: .double(0.1), resp2: "$3\r\n0.1\r\n", resp3: ",0.1\r\n"),
        Case(value: .boolean(true), resp2: ":1\r\n", resp3: "#t\r\n"),
        Case(value: .boolean(false), resp2: ":0\r\n", resp3: "#f\r\n"),
        Case(
            value: .verbatimString(format: "txt", text: "Some string"),
            resp2: "$11\r\nSome string\r\n",
            resp3: "=15\r\ntxt:Some string\r\n"
        ),
        Case(value: .verbatimString(format: "mkd", text: "# x"), resp2: "$3\r\n# x\r\n", resp3: "=7\r\nmkd:# x\r\n"),
        Case(value: .verbatimString(format: "markdown", text: ""), resp2: "$0\r\n\r\n", resp3: "=4\r\ntxt:\r\n"),
        Case(
            value: .bigNumber("3492890328409238509324850943850943825024385"),
            resp2: "$43\r\n3492890328409238509324850943850943825024385\r\n",
            resp3: "(3492890328409238509324850943850943825024385\r\n"
        ),
    ]

    @Test(arguments: cases)
    func encodesResp2(_ testCase: Case) {
        #expect(Self.encode(testCase.value, .resp2) == testCase.resp2)
    }

    @Test(arguments: cases)
    func encodesResp3(_ testCase: Case) {
        #expect(Self.encode(testCase.value, .resp3) == testCase.resp3)
    }

    @Test(arguments: [RESPProtocolVersion.resp2, .resp3])
    func replacesLineBreaksInLineTypes(_ version: RESPProtocolVersion) {
        #expect(Self.encode(.simpleString("a\r\nb\nc\rd"), version) == "+a  b c d\r\n")
        #expect(Self.encode(.error("ERR bad\r\n+OK"), version) == "-ERR bad  +OK\r\n")
        #expect(Self.encode(.error("\n"), version) == "- \r\n")
    }

    @Test func replacesLineBreaksInBigNumbers() {
        #expect(Self.encode(.bigNumber("1\r\n2"), .resp3) == "(1  2\r\n")
    }

    @Test func appendsToExistingBytes() {
        var buffer = ByteBuffer(string: "x")
        RESPEncoder.encode(.integer(7), protocolVersion: .resp3, into: &buffer)
        RESPEncoder.encode(.ok, protocolVersion: .resp3, into: &buffer)
        #expect(String(buffer: buffer) == "x:7\r\n+OK\r\n")
    }

    @Test func mapKeepsEntryOrderAndCompares() {
        let forward = RESPValue.map(pairs: [(.bulk("a"), .integer(1)), (.bulk("b"), .integer(2))])
        let reversed = RESPValue.map(pairs: [(.bulk("b"), .integer(2)), (.bulk("a"), .integer(1))])
        #expect(forward != reversed)
        #expect(Set([forward, forward, reversed]).count == 2)
    }

    private static func encode(_ value: RESPValue, _ version: RESPProtocolVersion) -> String {
        var buffer = ByteBuffer()
        RESPEncoder.encode(value, protocolVersion: version, into: &buffer)
        return String(buffer: buffer)
    }
}
