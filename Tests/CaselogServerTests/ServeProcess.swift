import CaselogTesting
import Dispatch
import Foundation

/// A real `caselog serve` process ($CASELOG_BIN) on a free admin port, stopped by signals as a
/// supervisor stops it.
final class ServeProcess: Sendable {
    let port: Int
    private let process: Process

    /// Starts the server on `databaseURL` and returns once it listens.
    init(databaseURL: String, environment extra: [String: String] = [:]) async throws {
        guard let binary = ProcessInfo.processInfo.environment["CASELOG_BIN"] else {
            throw TestEnvironmentError("CASELOG_BIN is not set: run the tests with scripts/test.sh")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--port", "0"]
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = databaseURL
        environment["CASELOG_LOG_LEVEL"] = "error"
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        self.process = process
        // The blocking read runs on a Dispatch thread, not on the cooperative pool.
        let line = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var text = ""
                while !text.contains("\n") {
                    let data = output.fileHandleForReading.availableData
                    if data.isEmpty { break }
                    text += String(decoding: data, as: UTF8.self)
                }
                continuation.resume(returning: text)
            }
        }
        guard
            let port = line.split(separator: ":").last.flatMap({
                Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
            })
        else {
            Foundation.kill(process.processIdentifier, SIGKILL)
            throw TestEnvironmentError("caselog serve did not report its port: \(line)")
        }
        self.port = port
    }

    /// Sends SIGTERM and waits up to `limit` for the process to exit; false if it did not.
    func terminate(within limit: Duration) async -> Bool {
        Foundation.kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + limit
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        return !process.isRunning
    }

    /// Ends the process at once (SIGKILL), if it still runs.
    func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
