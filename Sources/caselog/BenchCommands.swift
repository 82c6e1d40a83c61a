import AdminProtocol
import Application
import ArgumentParser
import CaselogServer
import Domain
import EventStore
import Foundation
import Logging

/// `caselog bench commands`: what a domain command's round trip adds over a raw `STREAM APPEND`.
struct BenchCommands: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commands",
        abstract: "Domain command round trips against raw STREAM APPEND round trips, same server, same run.",
        discussion: """
            Runs a server in this process on a scratch database (created and dropped) and one
            client over TCP, one request at a time (low load). Raw phases append one event with
            `STREAM APPEND … any`; command phases send `COMMITMENT PROGRESS` to commitments
            taken in turn from a pool, so each decision reads a stream of realistic length.
            Phases alternate so both see the same machine.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Seconds per measured phase.")
    var seconds: Double = 3

    @Option(help: "How many times the raw and command phases alternate.")
    var rounds: Int = 3

    @Option(help: "Commitments the command phases take turns on.")
    var commitments: Int = 200

    func run() async throws {
        let logger = database.logger
        let (seconds, rounds, pool) = (self.seconds, self.rounds, self.commitments)
        let migrator = try Migrator(directory: Migrator.locateDirectory())
        let figures = try await ScratchDatabase.with(
            adminURL: database.databaseURL,
            prefix: "caselog_bench",
            migrator: migrator,
            logger: logger
        ) { client, _ in
            let store = EventStore(client: client, logger: logger)
            let backend = StoreBackend(store: store)
            var configuration = AdminServer.Configuration()
            configuration.port = 0
            let server = AdminServer(
                configuration: configuration,
                backend: backend,
                version: CaselogService.version,
                logger: logger
            )
            return try await withRunningServices([store, server]) {
                let token = try await AccessService(backend: backend).add(
                    UserName("bench"),
                    role: .admin,
                    organization: nil,
                    metadata: #"{"actor":"caselog bench"}"#
                )
                return try await RESPClient.with(port: await server.boundPort) { connection in
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
        print(figures.markdown(seconds: seconds))
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
            guard let id = reply["id"]?.text else { throw ValidationError("COMMITMENT MAKE failed: \(reply)") }
            ids.append(id)
        }
        let commitments = ids
        // One client, one request at a time: LoadRun's single worker, sharing the connection.
        let shared = SharedConnection(connection)
        let levels = ["limited", "substantial", "complete", "not-started"]
        let event = #"{"type":"CommitmentProgressed","data":{"level":"limited","note":"raw append","schema":1}}"#
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
        if let code = reply.errorCode { throw ValidationError("the benchmark's request failed: \(code) \(reply)") }
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
