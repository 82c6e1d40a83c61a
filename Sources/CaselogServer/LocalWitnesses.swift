public import Foundation
import HTTPFace
public import Logging
import ServiceLifecycle
public import TransparencyLog

/// Witnesses of one log run in this process on free loopback ports, each with its own new key
/// and its state file in a folder: for the tests and the benchmarks.
public enum LocalWitnesses {
    /// Runs `count` witnesses of the log `logKey`, named `<namePrefix>-<index>`, their state in
    /// `directory/witness-<index>.state`; `body` gets their keys and URLs, and the witnesses stop
    /// with graceful shutdown after it.
    public static func with<Result: Sendable>(
        _ count: Int,
        logKey: NoteVerifierKey,
        directory: URL,
        namePrefix: String,
        logger: Logger,
        _ body: (_ witnesses: [WitnessEndpoint]) async throws -> Result
    ) async throws -> Result {
        var servers: [WitnessServer] = []
        var ports: [AsyncStream<Int>] = []
        var keys: [CosignatureVerifierKey] = []
        for index in 0..<count {
            let key = try CosignatureSignerKey.generate(name: "\(namePrefix)-\(index)")
            let (stream, port) = AsyncStream.makeStream(of: Int.self)
            servers.append(
                try WitnessServer(
                    configuration: HTTPServerConfiguration(port: 0),
                    logKey: logKey,
                    key: key,
                    state: WitnessStateFile(path: directory.appending(path: "witness-\(index).state").path),
                    logger: logger,
                    onListening: { port.yield($0) }
                )
            )
            ports.append(stream)
            keys.append(key.verifier)
        }
        let group = ServiceGroup(configuration: .init(services: servers.map { .init(service: $0) }, logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }
            var witnesses: [WitnessEndpoint] = []
            for (key, stream) in zip(keys, ports) {
                var iterator = stream.makeAsyncIterator()
                guard let port = await iterator.next(), let url = HTTPEndpoint(url: "http://127.0.0.1:\(port)") else {
                    throw CaselogServiceError("the witness \(key.name) did not listen")
                }
                witnesses.append(WitnessEndpoint(key: key, url: url))
            }
            let result = try await body(witnesses)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        }
    }
}
