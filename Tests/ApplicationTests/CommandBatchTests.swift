import Application
import Domain
import EventLog
import Foundation
import Synchronization
import Testing

/// The command service's batches on the in-memory log: each command decided on the log plus the
/// batch's earlier commands, all appended or none.
@Suite struct CommandBatchTests {
    let log = InMemoryLog()
    let admin = Principal(user: "ada", role: .admin, organization: nil)
    let caseID = "0b6a1c0e-4d1f-4c39-9a57-2f8e0d6b7c21"

    func register(_ slug: String) throws -> CommandService.BatchCommand {
        .domain(try OrganizationCommand.register(slug: slug, name: "Block Club", kind: .cbo, actor: admin))
    }

    func open(lead: String) throws -> CommandService.BatchCommand {
        .domain(try CaseCommand.open(id: caseID, title: "Co-responders in Austin", leadOrg: lead, actor: admin))
    }

    func note(_ text: String, expecting version: Int64? = nil) throws -> CommandService.BatchCommand {
        .domain(try CaseCommand.note(id: caseID, note: text, actor: admin, expectedVersion: version))
    }

    @Test func laterCommandsSeeEarlierOnesAndAllLandInOneCorrelation() async throws {
        let service = CommandService(backend: log)
        let outcome = try await service.run(
            batch: [register("cbo-one"), open(lead: "cbo-one"), note("first"), note("second", expecting: 1)],
            by: Caller(principal: admin)
        )
        guard case .appended(let results) = outcome else { Issue.record("refused: \(outcome)"); return }
        #expect(
            results == [
                .domain(.init(id: "cbo-one", stream: "org-cbo-one", version: 0, position: 1)),
                .domain(.init(id: caseID, stream: "case-\(caseID)", version: 0, position: 2)),
                .domain(.init(id: caseID, stream: "case-\(caseID)", version: 1, position: 3)),
                .domain(.init(id: caseID, stream: "case-\(caseID)", version: 2, position: 4)),
            ]
        )
        let events = try await log.readAll(from: 1, limit: 10)
        let correlations = Set(events.map { $0.metadata.firstMatch(of: /"correlation_id":"([^"]+)"/)?.1 ?? "" })
        #expect(correlations.count == 1 && correlations.first?.isEmpty == false)
        #expect(Set(events.map { $0.metadata.firstMatch(of: /"causation_id":"([^"]+)"/)?.1 ?? "" }).count == 4)
    }

    @Test func everyRefusedCommandIsReportedByIndexAndNothingIsAppended() async throws {
        let service = CommandService(backend: log)
        let outcome = try await service.run(
            batch: [
                register("cbo-one"), note("no case yet"), register("cbo-one"), open(lead: "cbo-one"),
                note("x", expecting: 5),
            ],
            by: Caller(principal: admin)
        )
        guard case .refused(let refusals) = outcome else { Issue.record("appended: \(outcome)"); return }
        #expect(refusals.map(\.index) == [1, 2, 4])
        #expect(refusals.map(\.error.code) == [.notFound, .conflict, .wrongVersion])
        #expect(try await log.head().position == 0)
    }

    @Test func aConcurrentChangeBetweenDecisionAndAppendDecidesTheBatchAgain() async throws {
        let service = CommandService(backend: log)
        _ = try await service.run(batch: [register("cbo-one"), open(lead: "cbo-one")], by: Caller(principal: admin))
        let stream = try StreamName("case-\(caseID)")
        let once = Mutex(true)
        log.beforeAppend { log, target in
            guard target == stream, once.withLock({ ($0, $0 = false).0 }) else { return }
            log.appendBehind(stream, type: "CaseNoteAdded", data: #"{"note":"meanwhile"}"#)
        }
        let outcome = try await service.run(batch: [note("mine")], by: Caller(principal: admin))
        #expect(outcome == .appended([.domain(.init(id: caseID, stream: stream.rawValue, version: 2, position: 4))]))
        let notes = try await log.read(stream: stream, from: 1, limit: 10).map {
            $0.data.firstMatch(of: /"note":"([^"]+)"/).map { String($0.1) }
        }
        #expect(notes == ["meanwhile", "mine"])
    }

    @Test func rawAppendsCheckTheirExpectedVersionAtTheirPlaceInTheBatch() async throws {
        let service = CommandService(backend: log)
        let stream = try StreamName("note-raw")
        let event = { try NewEvent(type: "NoteTaken", data: #"{"title":"t"}"#) }
        let outcome = try await service.run(
            batch: [
                .append(stream: stream, expected: .noStream, events: [try event(), try event()]),
                .append(stream: stream, expected: .exact(1), events: [try event()]),
            ],
            by: Caller(principal: admin)
        )
        guard case .appended(let results) = outcome else { Issue.record("refused: \(outcome)"); return }
        #expect(
            results == [
                .append(AppendResult(stream: stream, positions: [1, 2], firstVersion: 0, wasDuplicate: false)),
                .append(AppendResult(stream: stream, positions: [3], firstVersion: 2, wasDuplicate: false)),
            ]
        )
        let refused = try await service.run(
            batch: [.append(stream: stream, expected: .noStream, events: [try event()])],
            by: Caller(principal: admin)
        )
        #expect(
            refused
                == .refused([
                    .init(
                        index: 0,
                        error: CaselogError(.wrongVersion, "stream note-raw expected version no-stream, actual 2")
                    )
                ])
        )
    }
}
