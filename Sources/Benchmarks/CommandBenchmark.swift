import AdminProtocol
import Application
public import CaselogServer
import Domain
import EventStore
import Foundation
import ProtocolClient

/// What a domain command's round trip adds over a raw `STREAM APPEND` (`caselog bench commands`):
/// a server in this process on a scratch database, one client over TCP, one request at a time.
public struct CommandBenchmark: Sendable {
    /// Seconds per measured phase.
    public var seconds: Double
    /// How many times the raw and command phases alternate.
    public var rounds: Int
    /// Commitments the command phases take turns on.
    public var commitments: Int

    public init(seconds: Double, rounds: Int, commitments: Int) {
        self.seconds = seconds
        self.rounds = rounds
        self.commitments = commitments
    }

    /// Runs in a scratch database on the server of `configuration` (created and dropped) and
    /// returns the report as a Markdown table.
    public func run(configuration: ServerConfiguration) async throws -> String {
        let (seconds, rounds, pool) = (self.seconds, self.rounds, self.commitments)
        let figures = try await configuration.withScratchDatabase { scratchConfiguration in
            var scratchConfiguration = scratchConfiguration
            scratchConfiguration.adminServer.port = 0
            let service = try CaselogService(configuration: scratchConfiguration, parts: [.adminProtocol])
            return try await service.withRunning { service in
                let token = try await AccessService(backend: StoreBackend(store: service.store)).add(
                    UserName("bench"),
                    role: .admin,
                    organization: nil,
                    metadata: #"{"actor":"caselog bench"}"#
                )
                return try await RESPClient.with(port: try await service.boundPort()) { connection in
                    try await Self.measure(
                        connection,
                        token: token.text,
                        pool: pool,
                        rounds: rounds,
                        seconds: seconds
                    )
                }
            }
        }
        return figures.markdown(seconds: seconds)
    }

    static func measure(_ connection: RESPClient, token: String, pool: Int, rounds: Int, seconds: Double)
        async throws -> CommandBenchFigures
    {
        try await expectOK(connection.command("AUTH", token))
        try await expectOK(connection.command("ORG", "REGISTER", "cbo-bench", "NAME", "Bench CBO", "KIND", "cbo"))
        var ids: [String] = []
        for index in 0..<pool {
            let reply = try await connection.command(
                "COMMITMENT",
                "MAKE",
                "OWNER_ORG",
                "cbo-bench",
                "TEXT",
                "Commitment \(index) to residents",
                "MADE_TO",
                "residents",
                "MADE_ON",
                "2025-01-10",
                "DUE_ON",
                "2025-06-01"
            )
            guard let id = reply["id"]?.text else { throw BenchmarkError("COMMITMENT MAKE failed: \(reply)") }
            ids.append(id)
        }
        let commitments = ids
        // One client, one request at a time: LoadRun's single worker, sharing the connection.
        let shared = SharedConnection(connection)
        let levels = ["limited", "substantial", "complete", "not-started"]
        let event = #"{"type":"NoteTaken","data":{"level":"limited","note":"raw append","schema":1}}"#
        var figures = CommandBenchFigures()
        for _ in 0..<rounds {
            figures.raw.append(
                try await LoadRun.measure(workers: 1, seconds: seconds) { _, iteration in
                    try await expectOK(
                        shared.connection.command("STREAM", "APPEND", "bench-\(iteration % pool)", "any", event)
                    )
                }
            )
            figures.command.append(
                try await LoadRun.measure(workers: 1, seconds: seconds) { _, iteration in
                    try await expectOK(
                        shared.connection.command(
                            "COMMITMENT",
                            "PROGRESS",
                            commitments[iteration % pool],
                            "LEVEL",
                            levels[(iteration / pool) % levels.count],
                            "NOTE",
                            "progress \(iteration)"
                        )
                    )
                }
            )
        }
        return figures
    }

    static func expectOK(_ reply: RESPValue) throws {
        if let code = reply.errorCode { throw BenchmarkError("the benchmark's request failed: \(code) \(reply)") }
    }
}

/// The connection of the one benchmark worker (one request at a time, so never shared concurrently).
final class SharedConnection: @unchecked Sendable {
    let connection: RESPClient
    init(_ connection: RESPClient) { self.connection = connection }
}

/// Latencies of the raw and command phases, and the difference of their medians.
struct CommandBenchFigures {
    var raw: [LoadFigures] = []
    var command: [LoadFigures] = []

    func markdown(seconds: Double) -> String {
        var lines = [
            "| round | raw STREAM APPEND req/s | p50 ms | p99 ms | COMMITMENT PROGRESS req/s | p50 ms | p99 ms | p50 added ms |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for (index, (raw, command)) in zip(raw, command).enumerated() {
            let added = command.latencyMilliseconds(percentile: 0.5) - raw.latencyMilliseconds(percentile: 0.5)
            lines.append(
                String(
                    format: "| %d | %.0f | %.2f | %.2f | %.0f | %.2f | %.2f | %.2f |",
                    index + 1,
                    raw.eventsPerSecond,
                    raw.latencyMilliseconds(percentile: 0.5),
                    raw.latencyMilliseconds(percentile: 0.99),
                    command.eventsPerSecond,
                    command.latencyMilliseconds(percentile: 0.5),
                    command.latencyMilliseconds(percentile: 0.99),
                    added
                )
            )
        }
        lines.append("")
        lines.append(
            "\(Int(seconds)) s per phase, one client, one request at a time; p50 added = command p50 − raw p50."
        )
        return lines.joined(separator: "\n")
    }
}
