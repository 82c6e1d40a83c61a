import Foundation

/// Figures of one load phase: throughput and latency percentiles of its operations.
struct LoadFigures: Sendable {
    let workers: Int
    let operations: Int
    let eventsPerOperation: Int
    let seconds: Double
    let latencies: [Duration]

    var eventsPerSecond: Double { Double(operations * eventsPerOperation) / seconds }

    func latencyMilliseconds(percentile fraction: Double) -> Double {
        percentile(latencies, fraction).map { $0.inSeconds * 1000 } ?? .nan
    }
}

/// The value at `fraction` (0.5: the median) of ascending `sorted`; nil when it is empty.
func percentile<Value>(_ sorted: [Value], _ fraction: Double) -> Value? {
    guard !sorted.isEmpty else { return nil }
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
}

extension Duration {
    /// The duration in seconds, as a floating-point number for reports.
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
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
        let elapsed = clock.now - start
        return LoadFigures(
            workers: workers,
            operations: latencies.count,
            eventsPerOperation: eventsPerOperation,
            seconds: elapsed.inSeconds,
            latencies: latencies.sorted()
        )
    }

    /// Starts `operation` `rate` times per second for `seconds`, each call at its own steady
    /// instant and concurrently with the calls before it; returns once every call has finished.
    static func paced(
        rate: Int,
        seconds: Double,
        operation: @escaping @Sendable (_ index: Int) async throws -> Void
    ) async throws {
        let clock = ContinuousClock()
        let total = Int(Double(rate) * seconds)
        let start = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<total {
                try await clock.sleep(until: start + .microseconds(Int64(index) * 1_000_000 / Int64(rate)))
                group.addTask { try await operation(index) }
            }
            try await group.waitForAll()
        }
    }

    /// Runs `operation` `repetitions` times, one after another; the durations in milliseconds, ascending.
    static func timings(repetitions: Int, operation: () async throws -> Void) async throws -> [Double] {
        let clock = ContinuousClock()
        var samples: [Double] = []
        for _ in 0..<repetitions {
            let start = clock.now
            try await operation()
            samples.append((clock.now - start).inSeconds * 1000)
        }
        return samples.sorted()
    }
}
