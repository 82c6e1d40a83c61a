import Application
import Domain
import EventLog
import Testing

@Suite struct CallerTests {
    @Test func metadataSaysWhoFromWhichClientInWhichCorrelation() {
        let principal = Principal(user: "cora", role: .coordinator, organization: "cbo-one")
        let time = Timestamp(microsecondsSinceEpoch: 0)
        let alone = Caller(principal: principal, clientName: "app").metadata(commandID: "c1", serverTime: time)
        #expect(alone["actor"] == "cora" && alone["org"] == "cbo-one" && alone["role"] == "coordinator")
        #expect(alone["client"] == "app" && alone["causation_id"] == "c1" && alone["correlation_id"] == "c1")
        #expect(alone["server_time"] == time.iso8601)

        let correlated = Caller(principal: nil, correlationID: "batch-7").metadata(commandID: "c2", serverTime: time)
        #expect(correlated["correlation_id"] == "batch-7" && correlated["causation_id"] == "c2")
        #expect(correlated["actor"] == .some(nil) && correlated["client"] == .some(nil))
    }
}
