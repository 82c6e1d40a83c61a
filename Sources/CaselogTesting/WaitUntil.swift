/// Asks `probe` every 10 ms until it answers: how a test waits for something it can observe.
/// Throws naming `what` when no answer came within `limit`.
public func waitFor<Value>(
    _ what: String,
    within limit: Duration = .seconds(30),
    _ probe: () async throws -> Value?
) async throws -> Value {
    let deadline = ContinuousClock.now + limit
    while true {
        if let value = try await probe() { return value }
        guard ContinuousClock.now < deadline else {
            throw TestEnvironmentError("\(what): not within \(limit)")
        }
        try await Task.sleep(for: .milliseconds(10))
    }
}

/// Waits until `condition` holds, as `waitFor` does.
public func waitUntil(
    _ what: String,
    within limit: Duration = .seconds(30),
    _ condition: () async throws -> Bool
) async throws {
    try await waitFor(what, within: limit) { try await condition() ? () : nil }
}
