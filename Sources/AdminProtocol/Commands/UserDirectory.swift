public import Domain
import EventLog
import Foundation

/// Users as history: folds `user-<name>` streams and appends the access commands' events.
///
/// The one write path for access changes, used by the `USER` commands and by `caselog user add`.
public enum UserDirectory {
    /// The account folded from its stream (an account that does not exist yet when it has none).
    public static func account(_ name: UserName, backend: any AdminBackend) async throws(CommandError) -> UserAccount {
        let (account, _) = try await load(name, backend: backend)
        return account
    }

    /// Adds a user with its first token; the token is returned once and never stored.
    public static func add(
        _ name: UserName,
        role: Role,
        organization: String?,
        metadata: String,
        backend: any AdminBackend
    ) async throws(CommandError) -> AccessToken {
        try await decide(name, metadata: metadata, backend: backend) { account throws(DomainError) in
            let decision = try account.add(role: role, organization: organization)
            return (decision.events, decision.token)
        }
    }

    /// Issues an additional token for an existing user.
    public static func issueToken(_ name: UserName, metadata: String, backend: any AdminBackend)
        async throws(CommandError)
        -> AccessToken
    {
        try await decide(name, metadata: metadata, backend: backend) { account throws(DomainError) in
            let decision = try account.issueToken()
            return (decision.events, decision.token)
        }
    }

    /// Appends the events `decision` makes from the account's current state, retrying a few
    /// times when another writer changed the stream in between.
    public static func decide<Value: Sendable>(
        _ name: UserName,
        metadata: String,
        backend: any AdminBackend,
        _ decision: (UserAccount) throws(DomainError) -> (events: [UserEvent], value: Value)
    ) async throws(CommandError) -> Value {
        for _ in 0..<5 {
            let (account, version) = try await load(name, backend: backend)
            let outcome: (events: [UserEvent], value: Value)
            do {
                outcome = try decision(account)
            } catch {
                throw CommandError(error)
            }
            guard !outcome.events.isEmpty else { return outcome.value }
            do {
                let events = try outcome.events.map { event throws(EventLogError) in
                    try NewEvent(type: event.type, data: event.data, metadata: metadata)
                }
                let stream = try StreamName(name.stream)
                _ = try await backend.append(
                    to: stream,
                    expected: version < 0 ? .noStream : .exact(version),
                    events: events
                )
                return outcome.value
            } catch  where error.code == .wrongVersion {
                continue
            } catch {
                throw CommandError(error)
            }
        }
        throw CommandError("CONFLICT", "user: \(name) is being changed concurrently; try again")
    }

    /// The names of every user that has a stream.
    public static func names(backend: any AdminBackend) async throws(CommandError) -> [String] {
        do {
            return try await backend.streams(withPrefix: "user-").map { String($0.dropFirst("user-".count)) }
        } catch {
            throw CommandError(error)
        }
    }

    private static func load(_ name: UserName, backend: any AdminBackend) async throws(CommandError)
        -> (UserAccount, StreamVersion)
    {
        var account = UserAccount(name: name)
        var version: StreamVersion = -1
        do {
            let stream = try StreamName(name.stream)
            while case let batch = try await backend.read(stream: stream, from: version + 1, limit: 1000),
                !batch.isEmpty
            {
                for event in batch {
                    account.apply(try UserEvent(type: event.type, data: event.data))
                    version = event.version
                }
            }
        } catch let error as EventLogError {
            throw CommandError(error)
        } catch let error as DomainError {
            throw CommandError(error)
        } catch {
            throw CommandError("ERR", "could not read user \(name)")
        }
        return (account, version)
    }
}
