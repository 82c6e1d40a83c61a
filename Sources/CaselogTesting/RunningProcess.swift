import Dispatch
import Foundation

/// A program that keeps running (a subscriber such as `redis-cli SUBSCRIBE`), read line by line
/// as it prints, then terminated.
///
/// Lines are read on a Dispatch thread, never on Swift concurrency's cooperative pool. Used from
/// one task: the lines are one stream, consumed as they are asked for.
public final class RunningProcess {
    private let process: Process
    private var output: AsyncStream<String>.Iterator

    /// Starts `executable` (looked up on PATH) with `arguments`; it is stopped after `timeout`
    /// at the latest, so a reader waiting for a line that never comes gets what there was.
    public init(_ executable: String, _ arguments: [String], timeout: Duration = .seconds(60)) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        process.standardInput = FileHandle.nullDevice
        let (lines, continuation) = AsyncStream.makeStream(of: String.self)
        try process.run()
        self.process = process
        self.output = lines.makeAsyncIterator()
        DispatchQueue.global().async {
            let reader = output.fileHandleForReading
            var pending = Data()
            while case let chunk = reader.availableData, !chunk.isEmpty {
                pending.append(chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    continuation.yield(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                    pending = Data(pending[(newline + 1)...])
                }
            }
            continuation.finish()
        }
        let seconds = Double(timeout.components.seconds)
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
            Self.stop(process)
        }
    }

    /// The lines printed so far and from now on, until the first one `predicate` accepts
    /// (included); all of them when the program ends first.
    public func readLines(until predicate: (String) -> Bool) async -> [String] {
        var seen: [String] = []
        while let line = await output.next() {
            seen.append(line)
            if predicate(line) { break }
        }
        return seen
    }

    /// Kills the program and waits until it has exited. SIGKILL: a test process that runs a
    /// `ServiceGroup` ignores SIGTERM, and its children inherit that.
    public func terminate() {
        Self.stop(process)
        process.waitUntilExit()
    }

    private static func stop(_ process: Process) {
        if process.isRunning { _ = kill(process.processIdentifier, SIGKILL) }
    }

    deinit {
        terminate()
    }
}
