import Application
import Domain
import EventLog
import Testing

/// The command service on the in-memory log: who may run a command, and where its events land.
@Suite struct CommandServiceTests {
    let log = InMemoryLog()
    let admin = Principal(user: "ada", role: .admin, organization: nil)

    /// `ORG REGISTER slug NAME … KIND cbo` for `actor`.
    func register(_ slug: String, by actor: Principal) throws -> DomainCommand {
        try OrganizationCommand.register(slug: slug, name: "Block Club", kind: .cbo, actor: actor)
    }

    @Test func aCommandLandsOnItsStreamStampedWithItsCaller() async throws {
        let service = CommandService(backend: log, today: { try! ISODate(parsing: "2025-06-30") })
        let caller = Caller(principal: admin, clientName: "tests", correlationID: "batch-1")
        let outcome = try await service.run(try register("cbo-one", by: admin), by: caller)
        #expect(outcome.id == "cbo-one" && outcome.stream == "org-cbo-one")
        #expect(outcome.version == 0 && outcome.position == 1)
        let recorded = try await log.read(stream: StreamName("org-cbo-one"), from: 0, limit: 10)
        #expect(recorded.map(\.type) == ["OrganizationRegistered"])
        #expect(recorded.first?.metadata.contains(#""correlation_id":"batch-1""#) == true)
        #expect(recorded.first?.metadata.contains(#""actor":"ada""#) == true)

        let again = await #expect(throws: CaselogError.self) {
            try await service.run(try register("cbo-one", by: admin), by: caller)
        }
        #expect(again?.code == .conflict && again?.field == "org")
        #expect(log.count(try StreamName("org-cbo-one")) == 1)
    }

    @Test func onlyRecordersRunCommandsAndOnlyAsThemselves() async throws {
        let service = CommandService(backend: log)
        let lead = Principal(user: "lee", role: .leadership, organization: nil)
        let refused = await #expect(throws: CaselogError.self) {
            try await service.run(try register("cbo-one", by: lead), by: Caller(principal: lead))
        }
        #expect(refused?.code == .noPerm)
        await #expect(throws: CaselogError.authenticationRequired) {
            try await service.run(try register("cbo-one", by: admin), by: Caller(principal: nil))
        }
        let other = Principal(user: "bo", role: .admin, organization: nil)
        let mismatch = await #expect(throws: CaselogError.self) {
            try await service.run(try register("cbo-one", by: admin), by: Caller(principal: other))
        }
        #expect(mismatch?.code == .invalid && mismatch?.field == "actor")
        #expect(log.count(try StreamName("org-cbo-one")) == 0)
    }
}
