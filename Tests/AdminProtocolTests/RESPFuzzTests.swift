import Foundation
import NIOCore
import TestSupport
import Testing

@testable import AdminProtocol

/// Seeded randomized tests of the request decoder. A long run:
/// `CASELOG_FUZZ_ITERATIONS=1000000 swift test -c release --filter RESPFuzz`;
/// `CASELOG_FUZZ_SEED=<n>` explores other inputs (a failure names the input to add to `Corpus/`).
@Suite struct RESPFuzzTests {
    /// Iterations per randomized test, from `CASELOG_FUZZ_ITERATIONS` (default 10,000).
    static let iterations = ProcessInfo.processInfo.environment["CASELOG_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? 10_000

    /// Mixed into every generator's seed, from `CASELOG_FUZZ_SEED` (default 0: the inputs CI always runs).
    static let seed = ProcessInfo.processInfo.environment["CASELOG_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0

    /// Small limits so mutated inputs hit every limit, not only the protocol errors.
    static let smallLimits = RESPLimits(maxRequestBytes: 64, maxArguments: 12, maxInlineLength: 64, maxBulkLength: 48)

    @Test func validRequestsRoundTripAcrossRandomSplits() {
        var generator = RequestGenerator(random: SplitMix64(seed: 0xCA5E_106 ^ Self.seed))
        var mutator = Mutator(random: SplitMix64(seed: 0x5EED ^ Self.seed))
        var generated = 0
        while generated < Self.iterations {
            let batch = min(Self.iterations - generated, mutator.random.within(1...16))
            var wire: [UInt8] = []
            var expected: [RESPRequest] = []
            for _ in 0..<batch {
                let request = generator.request()
                wire += request.wire
                expected.append(.command(request.arguments.map { ByteBuffer(bytes: $0) }))
            }
            generated += batch
            let result = DecoderHarness.decode(wire, chunkSizes: mutator.chunkSizes(for: wire.count))
            guard result.error == nil, result.requests == expected else {
                Issue.record("round trip failed (\(String(describing: result.error))) for input \(wire)")
                return
            }
        }
    }

    @Test func mutatedInputsDecodeOrFailCleanlyAtAnySplit() throws {
        var generator = RequestGenerator(random: SplitMix64(seed: 0xF00D ^ Self.seed))
        var mutator = Mutator(random: SplitMix64(seed: 0xBAD_5EED ^ Self.seed))
        let seeds = try Corpus.load().map(\.bytes) + (0..<64).map { _ in generator.request().wire }
        #expect(seeds.count >= 64 + 30)
        for _ in 0..<Self.iterations {
            let seed = seeds[mutator.random.below(seeds.count)]
            let input = mutator.mutate(seed, others: seeds)
            let limits = mutator.random.oneIn(2) ? RESPLimits() : Self.smallLimits
            let whole = DecoderHarness.decode(input, limits: limits)
            let split = DecoderHarness.decode(input, chunkSizes: mutator.chunkSizes(for: input.count), limits: limits)
            guard whole.requests == split.requests, whole.error == split.error else {
                Issue.record("split decoding differs: \(whole) vs \(split) for input \(input)")
                return
            }
        }
    }

    @Test func everyCorpusSeedDecodesOrFailsCleanly() throws {
        for (name, bytes) in try Corpus.load() {
            let whole = DecoderHarness.decode(bytes)
            let dripped = DecoderHarness.decode(bytes, chunkSizes: Array(repeating: 1, count: bytes.count))
            #expect(whole.requests == dripped.requests, "\(name)")
            #expect(whole.error == dripped.error, "\(name)")
        }
    }

    @Test func neverEndingInlineLineIsRejectedOnceAndDroppedWithoutBeingHeld() throws {
        let chunk = ByteBuffer(repeating: UInt8(ascii: "a"), count: 64 * 1024)
        var harness = DecoderHarness()
        for _ in 0..<256 { try harness.feed(chunk) }
        #expect(harness.requests == [.rejected(.tooLarge("inline request over 65536 bytes"))])
        #expect(harness.peakBuffered <= harness.decoder.limits.maxInlineLength + 1)
        #expect(harness.peakBufferedWhileDiscarding == 0)
        try harness.feed(ByteBuffer(string: "aaa\r\nPING\r\n"))
        #expect(harness.requests.last == .arguments("PING"))
        #expect(harness.requests.count == 2)
    }

    @Test func neverEndingBulkArgumentFailsAfterItsDeclaredLength() {
        var harness = DecoderHarness()
        let chunk = ByteBuffer(repeating: UInt8(ascii: "a"), count: 64 * 1024)
        var fed = 0
        do throws(RESPDecodingError) {
            try harness.feed(ByteBuffer(string: "*1\r\n$4194000\r\n"))
            while fed < 100 * 1024 * 1024 {
                try harness.feed(chunk)
                fed += chunk.readableBytes
            }
            Issue.record("100 MB of one argument were accepted")
        } catch {
            #expect(error == .missingBulkTerminator)
        }
        #expect(fed <= 4_194_002 + chunk.readableBytes)
        #expect(harness.peakBuffered <= 4_194_001 + chunk.readableBytes)
    }

    @Test func neverEndingArgumentListIsRejectedAtTheRequestLimitAndDropped() throws {
        let limits = RESPLimits(maxRequestBytes: 256 * 1024)
        var harness = DecoderHarness(limits: limits)
        var chunk = ByteBuffer()
        for _ in 0..<1000 { chunk.writeString("$1\r\na\r\n") }
        var fed = 0
        try harness.feed(ByteBuffer(string: "*40000\r\n"))
        while harness.requests.isEmpty, fed < 100 * 1024 * 1024 {
            try harness.feed(chunk)
            fed += chunk.readableBytes
        }
        #expect(harness.requests == [.rejected(.tooLarge("request over 262144 bytes"))])
        #expect(fed <= limits.maxRequestBytes + chunk.readableBytes)  // rejected in the read that crossed the limit
        // The rest of the 40,000 declared arguments is dropped, then the stream goes on.
        while fed < 40_000 * 7 {
            try harness.feed(chunk)
            fed += chunk.readableBytes
        }
        #expect(fed == 40_000 * 7)
        #expect(!harness.decoder.isDiscarding)
        try harness.feed(ByteBuffer(string: "PING\r\n"))
        #expect(harness.requests.count == 2)
        #expect(harness.requests.last == .arguments("PING"))
        #expect(harness.peakBufferedWhileDiscarding <= DecoderHarness.discardingBufferBound)
    }
}
