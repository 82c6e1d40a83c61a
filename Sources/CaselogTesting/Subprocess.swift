import Dispatch
import Foundation

/// Runs a program to completion and collects its standard output.
///
/// The blocking reads and waits happen on a Dispatch thread, never on Swift concurrency's small
/// cooperative pool, which the server under test needs to keep running.
public enum Subprocess {
    /// What a finished program printed on standard output and how it exited.
    public struct Outcome: Sendable {
        public let status: Int32
        public let output: String
        /// What it printed on standard error (also passed on to the test's own).
        public let errors: String
    }

    /// Runs `executable` (looked up on PATH) with `arguments`, feeding `input` to its standard input.
    public static func run(_ executable: String, _ arguments: [String], input: String? = nil) async throws -> String {
        try await outcome(executable, arguments, input: input).output
    }

    /// `run`, also telling the exit status; `environment` entries are added to the test's own.
    public static func outcome(
        _ executable: String,
        _ arguments: [String],
        input: String? = nil,
        environment: [String: String] = [:]
    ) async throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, added in added }
        let output = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        // Standard error goes to a file, read once the program exits: two pipes read one after
        // the other could fill and stall the program.
        let errorsFile = FileManager.default.temporaryDirectory.appending(path: "caselog-stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errorsFile.path, contents: nil)
        let errors = try FileHandle(forWritingTo: errorsFile)
        process.standardError = errors
        process.standardInput = stdin
        try process.run()
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
                try? stdin.fileHandleForWriting.close()
                let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                try? errors.close()
                let errorText = (try? String(contentsOf: errorsFile, encoding: .utf8)) ?? ""
                try? FileManager.default.removeItem(at: errorsFile)
                FileHandle.standardError.write(Data(errorText.utf8))
                continuation.resume(
                    returning: Outcome(status: process.terminationStatus, output: text, errors: errorText)
                )
            }
        }
    }
}
