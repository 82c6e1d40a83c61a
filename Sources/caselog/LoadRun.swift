import Foundation

/// Figures of one load phase: throughput and latency percentiles of its operations.
struct LoadFigures: Sendable {
    let workers: Int
    let operations: Int
    let eventsPerOperation: Int
    let seconds: Double
    let latencies: [Duration]

    var eventsPerSecond: Double { Double(operations * eventsPerOperation) / seconds }

    func latencyMilliseconds(percentile: Double) -> Double {
        guard !latencies.isEmpty else { return .nan }
        let index = min(latencies.count - 1, Int(Double(latencies.count) * percentile))
        let value = latencies[index].components
        return Double(value.seconds) * 1000 + Double(value.attoseconds) / 1e15
    }
}

/// Runs `workers` concurrent loops of `operation` for `seconds`, timing each call.
enum LoadRun {
    static func measure(
        workers: Int,
        seconds: Double,
        eventsPerOperation: Int = 1,
        operation: @escaping @Sendable (_ worker: Int, _ iteration: Int) async throws -> Void
    ) async throws -> LoadFigures {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .milliseconds(Int(seconds * 1000))
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var samples: [Duration] = []
                    var iteration = 0
                    while clock.now < deadline {
                        let began = clock.now
                        try await operation(worker, iteration)
                        samples.append(clock.now - began)
                        iteration += 1
                    }
                    return samples
                }
            }
            var all: [Duration] = []
            for try await samples in group { all.append(contentsOf: samples) }
            return all
        }
        let elapsed = (clock.now - start).components
        return LoadFigures(
            workers: workers,
            operations: latencies.count,
            eventsPerOperation: eventsPerOperation,
            seconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18,
            latencies: latencies.sorted()
        )
    }
}
