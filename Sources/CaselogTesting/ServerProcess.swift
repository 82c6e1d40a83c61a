import Dispatch
import Foundation

/// A real `caselog serve` process (the binary `scripts/test.sh` built, `CASELOG_BIN`) on a free
/// admin port, for tests of what only the whole executable does.
public final class ServerProcess: Sendable {
    private let process: Process
    /// The admin protocol's port, as the process reported it.
    public let port: Int

    /// Starts `caselog serve` on `databaseURL` and waits until it listens.
    public static func start(databaseURL: String) async throws -> ServerProcess {
        guard let binary = ProcessInfo.processInfo.environment["CASELOG_BIN"] else {
            throw TestEnvironmentError("CASELOG_BIN is not set: run the tests with scripts/test.sh")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve"]
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = databaseURL
        environment["CASELOG_PORT"] = "0"
        environment["CASELOG_LOG_LEVEL"] = "error"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let line = await firstLine(of: output.fileHandleForReading)
        guard let port = line?.split(separator: ":").last.flatMap({ Int($0) }) else {
            kill(process)
            throw TestEnvironmentError("caselog serve did not report its port: \(line ?? "no output")")
        }
        return ServerProcess(process: process, port: port)
    }

    private init(process: Process, port: Int) {
        self.process = process
        self.port = port
    }

    /// A test that fails before `stop()` still ends its server, and the server's connections.
    deinit { Self.kill(process) }

    /// Ends the process at once (SIGKILL), as a crash would.
    public func kill() { Self.kill(process) }

    /// Asks the process to stop (SIGTERM) and waits for it; answers its exit status.
    public func stop() async -> Int32 {
        process.terminate()
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                self.process.waitUntilExit()
                continuation.resume(returning: self.process.terminationStatus)
            }
        }
    }

    private static func kill(_ process: Process) {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// The first line `handle` delivers (nil if it ends first); the rest is read and dropped so
    /// that the process never blocks on a full pipe.
    private static func firstLine(of handle: FileHandle) async -> String? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var buffer = Data()
                var answered = false
                while case let chunk = handle.availableData, !chunk.isEmpty {
                    guard !answered else { continue }
                    buffer.append(chunk)
                    if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                        answered = true
                        continuation.resume(returning: String(decoding: buffer[..<newline], as: UTF8.self))
                    }
                }
                if !answered { continuation.resume(returning: nil) }
            }
        }
    }
}
