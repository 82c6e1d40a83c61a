import NIOCore
import ProtocolClient
import Testing

/// The scanner says a reply is whole exactly when the decoder can read it, however it is split.
@Suite struct RESPFrameScannerTests {
    static let replies = [
        "+OK\r\n", ":42\r\n", "$-1\r\n", "*-1\r\n", "*0\r\n", "_\r\n", "$5\r\nhe\r\nl\r\n",
        "*2\r\n$3\r\nfoo\r\n*2\r\n:1\r\n%1\r\n+k\r\n$0\r\n\r\n",
        "%2\r\n+position\r\n:7\r\n+rows\r\n*3\r\n_\r\n*0\r\n>1\r\n=7\r\ntxt:abc\r\n",
        "-ERR wrong\r\n",
    ]

    @Test(arguments: replies)
    func aReplyIsWholeOnlyWithItsLastByte(_ reply: String) throws {
        let bytes = Array(reply.utf8)
        var scanner = RESPFrameScanner()
        var buffer = ByteBuffer()
        for (index, byte) in bytes.enumerated() {
            buffer.writeInteger(byte)
            let length = scanner.wholeReplyLength(in: buffer)
            let whole = length != nil
            #expect(whole == (index == bytes.count - 1), "after byte \(index) of \(reply.debugDescription)")
            #expect(length == nil || length == bytes.count, "a whole reply's length is all of its bytes")
            var copy = buffer
            let decoded = try RESPReplyDecoder().decode(&copy)
            #expect((decoded != nil) == whole)
        }
    }

    @Test func aReplyFollowedByAnotherIsWholeAndTheNextIsScannedAfresh() throws {
        var buffer = ByteBuffer(string: "*2\r\n:1\r\n:2\r\n$3\r\nab")
        var scanner = RESPFrameScanner()
        var whole = scanner.wholeReplyLength(in: buffer) != nil
        #expect(whole)
        let first = try RESPReplyDecoder().decode(&buffer)
        #expect(first == .array([.integer(1), .integer(2)]))
        scanner = RESPFrameScanner()
        whole = scanner.wholeReplyLength(in: buffer) != nil
        #expect(!whole)
        buffer.writeString("c\r\n")
        whole = scanner.wholeReplyLength(in: buffer) != nil
        #expect(whole)
    }
}
