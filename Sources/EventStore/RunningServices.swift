public import ServiceLifecycle

/// Runs `services` in the background for the duration of `body`, then cancels them.
///
/// For short-lived commands and tests; a long-running process puts its services in a `ServiceGroup`.
public func withRunningServices<Result: Sendable>(
    _ services: [any Service],
    _ body: () async throws -> Result
) async throws -> Result {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for service in services {
            group.addTask { try await service.run() }
        }
        defer { group.cancelAll() }
        return try await body()
    }
}
