import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Checks a whole exported history (JSON lines, as `caselog export` writes them) held in memory,
/// by the recipe of `docs/integrity.md` and the rules of `HistoryVerifier`, a part per thread.
///
/// Every line states its `prev_hash`, so whether its content matches its hash needs no other
/// line: the file is cut into parts at line breaks, each part is read and checked on its own
/// from its first event on, and the parts are then joined in order, each part's first event
/// checked against what the parts before it ended with. The verdict is the one a check of the
/// lines one after another gives, failures included: the earliest line that does not hold.
public enum HistoryCheck {
    /// The outcome of a check.
    public enum Verdict: Sendable {
        /// Every line holds; the verifier has seen every event (none for a file with no lines).
        case intact(HistoryVerifier)
        /// The earliest line that does not hold (counted from 1) and why.
        case broken(line: Int, reason: String)
    }

    /// Checks the JSON lines `bytes` in `parts` parts at once.
    public static func verify(jsonLines bytes: UnsafeRawBufferPointer, parts: Int) -> Verdict {
        let lines = bytes.assumingMemoryBound(to: UInt8.self)
        let bounds = partBounds(of: lines, parts: max(parts, 1))
        var outcomes = [PartOutcome](repeating: PartOutcome(), count: bounds.count)
        outcomes.withUnsafeMutableBufferPointer { outcomes in
            let shared = SharedBuffers(lines: lines, outcomes: outcomes)
            DispatchQueue.concurrentPerform(iterations: bounds.count) { index in
                shared.outcomes[index] = check(UnsafeBufferPointer(rebasing: shared.lines[bounds[index]]))
            }
        }
        var verifier = HistoryVerifier()
        var linesBefore = 0
        for outcome in outcomes {
            if let (line, reading) = outcome.first {
                switch reading {
                case .malformed(let reason):
                    return .broken(line: linesBefore + line, reason: reason)
                case .link(let link, let contentHolds):
                    if let failure = verifier.verify(link, contentHolds: { contentHolds }) {
                        return .broken(line: linesBefore + line, reason: failure.description)
                    }
                }
            }
            if let (line, reason) = outcome.failure {
                return .broken(line: linesBefore + line, reason: reason)
            }
            if let rest = outcome.rest { verifier.absorb(rest) }
            linesBefore += outcome.lineCount
        }
        return .intact(verifier)
    }

    /// The file, only read, and a slot for each part's outcome, written by that part's thread
    /// alone; both outlive the threads.
    private struct SharedBuffers: @unchecked Sendable {
        let lines: UnsafeBufferPointer<UInt8>
        let outcomes: UnsafeMutableBufferPointer<PartOutcome>
    }

    /// What one part says: its first event (which only the parts before it can check), a
    /// verifier continuing after that event over the rest, and the part's first failure there.
    private struct PartOutcome {
        var first: (line: Int, reading: HistoryLineReader.Reading)?
        var rest: HistoryVerifier?
        var failure: (line: Int, reason: String)?
        /// Lines in the part; complete only when it has no failure.
        var lineCount = 0
    }

    private static func check(_ part: UnsafeBufferPointer<UInt8>) -> PartOutcome {
        var outcome = PartOutcome()
        var reader = HistoryLineReader()
        var rest: HistoryVerifier?
        var lineNumber = 0
        var start = 0
        while start < part.count {
            let end = lineEnd(in: part, from: start)
            let line = UnsafeBufferPointer(rebasing: part[start..<end])
            lineNumber += 1
            start = end + 1
            if line.isEmpty { continue }
            let reading = reader.read(line)
            guard rest != nil else {
                outcome.first = (lineNumber, reading)
                guard case .link(let link, contentHolds: true) = reading else { return outcome }
                rest = HistoryVerifier(continuingAfter: link)
                continue
            }
            let failure: String?
            switch reading {
            case .malformed(let reason): failure = reason
            case .link(let link, let contentHolds):
                failure = rest?.verify(link, contentHolds: { contentHolds })?.description
            }
            if let failure {
                outcome.failure = (lineNumber, failure)
                return outcome
            }
        }
        outcome.rest = rest
        outcome.lineCount = lineNumber
        return outcome
    }

    /// `parts` ranges of about equal size that together cover `bytes`, each ending just after a
    /// line break (the last at the end).
    private static func partBounds(of bytes: UnsafeBufferPointer<UInt8>, parts: Int) -> [Range<Int>] {
        var bounds: [Range<Int>] = []
        var start = 0
        for part in 1..<parts {
            let cut = max(start, bytes.count / parts * part)
            guard cut < bytes.count else { break }
            let end = min(lineEnd(in: bytes, from: cut) + 1, bytes.count)
            bounds.append(start..<end)
            start = end
        }
        bounds.append(start..<bytes.count)
        return bounds
    }

    /// The index of the first line feed in `bytes` from `start` on, or the end of `bytes`.
    private static func lineEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = bytes.baseAddress, start < bytes.count,
            let found = memchr(base + start, Int32(UInt8(ascii: "\n")), bytes.count - start)
        else { return bytes.count }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }
}
