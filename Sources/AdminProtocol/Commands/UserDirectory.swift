public import Application
public import Domain
import EventLog
import Foundation

/// Users as history: folds `user-<name>` streams and appends the access commands' events.
///
/// The one write path for access changes, used by the `USER` commands and by `caselog user add`.
public enum UserDirectory {
    /// The account folded from its stream (an account that does not exist yet when it has none).
    public static func account(_ name: UserName, backend: any AdminBackend) async throws(CaselogError) -> UserAccount {
        let history = try await StreamWriter.history(of: try StreamName(request: name.stream), backend: backend).events
        do {
            return try fold(name, history)
        } catch {
            throw CaselogError(error)
        }
    }

    /// Adds a user with its first token; the token is returned once and never stored.
    public static func add(
        _ name: UserName,
        role: Role,
        organization: String?,
        metadata: String,
        backend: any AdminBackend
    ) async throws(CaselogError) -> AccessToken {
        try await decide(name, metadata: metadata, backend: backend) { account throws(DomainError) in
            let decision = try account.add(role: role, organization: organization)
            return (decision.events, decision.token)
        }
    }

    /// Issues an additional token for an existing user.
    public static func issueToken(_ name: UserName, metadata: String, backend: any AdminBackend)
        async throws(CaselogError)
        -> AccessToken
    {
        try await decide(name, metadata: metadata, backend: backend) { account throws(DomainError) in
            let decision = try account.issueToken()
            return (decision.events, decision.token)
        }
    }

    /// Appends the events `decision` makes from the account's current state, deciding again
    /// when another writer changed the stream in between.
    public static func decide<Value: Sendable>(
        _ name: UserName,
        metadata: String,
        backend: any AdminBackend,
        _ decision: (UserAccount) throws(DomainError) -> (events: [UserEvent], value: Value)
    ) async throws(CaselogError) -> Value {
        try await StreamWriter.write(to: try StreamName(request: name.stream), metadata: metadata, backend: backend) {
            history,
            _ throws(DomainError) in
            let outcome = try decision(try fold(name, history))
            return (outcome.events.map { EventPayload(type: $0.type, data: $0.data) }, outcome.value)
        }.value
    }

    /// The names of every user that has a stream.
    public static func names(backend: any AdminBackend) async throws(CaselogError) -> [String] {
        do {
            return try await backend.streams(withPrefix: "user-").map { String($0.dropFirst("user-".count)) }
        } catch {
            throw CaselogError(error)
        }
    }

    private static func fold(_ name: UserName, _ history: [EventPayload]) throws(DomainError) -> UserAccount {
        UserAccount(
            name: name,
            events: try history.map { event throws(DomainError) in try UserEvent(type: event.type, data: event.data) }
        )
    }
}
