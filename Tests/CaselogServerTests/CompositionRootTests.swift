import CaselogServer
import CaselogTesting
import EventStore
import Logging
import Projections
import Testing

/// The composition root: one configuration read in one place, and a bound port learnt without polling.
@Suite struct CompositionRootTests {
    @Test func flagsWinOverTheEnvironmentWhichWinsOverTheDefaults() throws {
        let environment = [
            "DATABASE_URL": "postgres://env@127.0.0.1:5432/env",
            "CASELOG_LOG_LEVEL": "warning",
            "CASELOG_HOST": "0.0.0.0",
            "CASELOG_PORT": "7000",
            "CASELOG_MIGRATIONS": "/env/migrations",
            "CASELOG_MAX_CONNECTIONS": "12",
            "CASELOG_PROJECTIONS": "off",
            "CASELOG_READ_WAIT": "0.5",
        ]
        let fromEnvironment = ServerConfiguration(environment: environment)
        #expect(fromEnvironment.databaseURL == "postgres://env@127.0.0.1:5432/env")
        #expect(fromEnvironment.logLevel == .warning)
        #expect(fromEnvironment.adminServer.host == "0.0.0.0")
        #expect(fromEnvironment.adminServer.port == 7000)
        #expect(fromEnvironment.adminServer.maxConnections == 12)
        #expect(fromEnvironment.migrationsDirectory == "/env/migrations")
        #expect(!fromEnvironment.runsProjections)
        #expect(fromEnvironment.readWait == .milliseconds(500))

        let flags = ServerConfiguration.Flags(
            databaseURL: "postgres://flag@127.0.0.1:5432/flag",
            logLevel: .debug,
            host: "127.0.0.2",
            port: 0,
            migrationsDirectory: "/flag/migrations",
            runsProjections: true
        )
        let fromFlags = ServerConfiguration(flags: flags, environment: environment)
        #expect(fromFlags.databaseURL == "postgres://flag@127.0.0.1:5432/flag")
        #expect(fromFlags.logLevel == .debug)
        #expect(fromFlags.adminServer.host == "127.0.0.2")
        #expect(fromFlags.adminServer.port == 0)
        #expect(fromFlags.migrationsDirectory == "/flag/migrations")
        #expect(fromFlags.runsProjections)
        #expect(fromFlags.adminServer.maxConnections == 12, "what no flag sets still comes from the environment")

        let defaults = ServerConfiguration(environment: [
            "CASELOG_PORT": "not a port", "CASELOG_LOG_LEVEL": "loud", "CASELOG_READ_WAIT": "soon",
            "CASELOG_DATABASE_TIMEOUT": "-1",
        ])
        #expect(defaults.databaseURL == ServerConfiguration.embeddedDatabaseURL)
        #expect(defaults.adminServer.port == 7379)
        #expect(defaults.logLevel == .info)
        #expect(defaults.migrationsDirectory == nil)
        #expect(defaults.runsProjections)
        #expect(defaults.readWait == .seconds(5))
        #expect(defaults.eventStore.databaseTimeout == EventStore.Configuration().databaseTimeout)

        let service = try CaselogService(configuration: fromFlags, parts: [])
        #expect(service.logger.logLevel == .debug, "the service logs at the configured level")
        #expect(service.services.count == 2 && service.server == nil && service.projections == nil)

        let readsOnly = try CaselogService(configuration: fromEnvironment, parts: .all)
        #expect(readsOnly.readModels != nil, "read models are answered from the tables another process keeps")
        #expect(!readsOnly.services.contains { $0 is ProjectionRunner }, "but no worker runs here")
        let full = try CaselogService(configuration: defaults, parts: .all)
        #expect(full.services.contains { $0 is ProjectionRunner })
    }

    @Test(.timeLimit(.minutes(3))) func theBoundPortIsAnErrorWhenTheServerCannotListen() async throws {
        try await TestServer.with { running in
            var configuration = ServerConfiguration(databaseURL: running.database.url)
            configuration.logLevel = .critical
            configuration.adminServer.port = running.port
            let taken = try CaselogService(configuration: configuration, parts: [.adminProtocol])
            await #expect(throws: (any Error).self) {
                try await taken.withRunning { try await $0.boundPort() }
            }

            let without = try CaselogService(configuration: configuration, parts: [])
            await #expect(throws: CaselogServiceError.self) { try await without.boundPort() }
        }
    }
}
