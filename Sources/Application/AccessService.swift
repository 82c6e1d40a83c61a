public import Domain
import EventLog
import Synchronization

/// Users, roles and tokens: authenticates tokens to principals and appends the access changes.
///
/// Open connections see access changes on their next command. A connection keeps the `Grant` its
/// token was resolved to; `needsRecheck` says when to resolve it again, which `recheck` does:
/// - within this process at once: every access change appended through this service bumps an
///   access epoch, and a grant from an older epoch is rechecked;
/// - across processes within `recheckInterval`: an older grant is rechecked by comparing the user
///   stream's version (one indexed lookup) and folding the stream again only when it moved.
/// So a command costs nothing extra while access is unchanged, and at most one version lookup per
/// connection per interval otherwise.
public final class AccessService: Sendable {
    /// A principal resolved from a token, with what it was resolved against.
    public struct Grant: Sendable, Hashable {
        public let principal: Principal
        let token: AccessToken
        /// The access epoch read before the user's stream was.
        let epoch: UInt64
        /// The version of the user's stream the principal was folded from.
        let userVersion: StreamVersion
        let checkedAt: ContinuousClock.Instant
    }

    public let backend: any AdminBackend
    /// How stale a grant may get before the user's stream is looked at again.
    public let recheckInterval: Duration
    private let epochCounter = Atomic<UInt64>(0)

    public init(backend: any AdminBackend, recheckInterval: Duration = .seconds(1)) {
        self.backend = backend
        self.recheckInterval = recheckInterval
    }

    /// Bumped after every access change appended through this service.
    public var epoch: UInt64 { epochCounter.load(ordering: .acquiring) }

    // MARK: Authentication

    /// The grant of `token` (`<user>.<secret>`, or the secret alone with `user`); `NOAUTH` when
    /// the token is unknown or revoked or its user disabled, without saying which.
    public func authenticate(user: String?, token: String) async throws(CaselogError) -> Grant {
        let parsed: AccessToken?
        // Redis clients name the "default" user when they have no user name: the token says who.
        if let user, user != "default" {
            let name = try? UserName(user)
            parsed =
                AccessToken(parsing: token).flatMap { $0.user == name ? $0 : nil }
                ?? name.map { AccessToken(user: $0, secret: token) }
        } else {
            parsed = AccessToken(parsing: token)
        }
        guard let parsed else { throw .invalidToken }
        return try await resolve(parsed)
    }

    /// Whether `grant` may be out of date: access changed in this process since, or it is older than `recheckInterval`.
    public func needsRecheck(_ grant: Grant, now: ContinuousClock.Instant = .now) -> Bool {
        grant.epoch != epoch || now - grant.checkedAt >= recheckInterval
    }

    /// `grant` as the user's stream says now; `NOAUTH` when its token no longer authenticates.
    public func recheck(_ grant: Grant) async throws(CaselogError) -> Grant {
        let epoch = self.epoch
        if epoch == grant.epoch {
            let version: StreamVersion
            do {
                version = try await backend.version(of: try StreamName(request: grant.token.user.stream))
            } catch {
                throw CaselogError.from(error)
            }
            if version == grant.userVersion {
                return Grant(
                    principal: grant.principal,
                    token: grant.token,
                    epoch: epoch,
                    userVersion: version,
                    checkedAt: .now
                )
            }
        }
        return try await resolve(grant.token)
    }

    /// Folds the token's user and checks the token against it.
    private func resolve(_ token: AccessToken) async throws(CaselogError) -> Grant {
        // Read first: a change appended while the stream is read then moves the epoch past this one.
        let epoch = self.epoch
        let history = try await StreamWriter.history(of: try StreamName(request: token.user.stream), backend: backend)
        guard let principal = try Self.account(token.user, history.events).authenticate(token) else {
            throw .invalidToken
        }
        return Grant(principal: principal, token: token, epoch: epoch, userVersion: history.version, checkedAt: .now)
    }

    // MARK: Users

    /// The account folded from its stream (an account that does not exist yet when it has none).
    public func account(_ name: UserName) async throws(CaselogError) -> UserAccount {
        let history = try await StreamWriter.history(of: try StreamName(request: name.stream), backend: backend)
        return try Self.account(name, history.events)
    }

    /// The names of every user that has a stream.
    public func names() async throws(CaselogError) -> [String] {
        do {
            return try await backend.streams(withPrefix: "user-").map { String($0.dropFirst("user-".count)) }
        } catch {
            throw CaselogError(error)
        }
    }

    /// Adds a user with its first token; the token is returned once and never stored. A
    /// coordinator's organization must exist and not be retired (`INVALID org`).
    public func add(_ name: UserName, role: Role, organization: String?, metadata: String) async throws(CaselogError)
        -> AccessToken
    {
        var related: [StreamName] = []
        if let organization, role == .coordinator {
            guard let stream = try? StreamName("org-\(organization)") else {
                throw CaselogError.invalid("org", "\(organization) is not an organization id")
            }
            related = [stream]
        }
        return try await change(name, related: related, metadata: metadata) {
            account,
            relatedHistories throws(DomainError) in
            let decision = try account.add(role: role, organization: organization)
            if let organization {
                try UserAccount.requireActive(
                    try OrganizationState(id: organization, history: relatedHistories["org-\(organization)"] ?? [])
                )
            }
            return (decision.events, decision.token)
        }
    }

    /// Issues an additional token for an existing user.
    public func issueToken(_ name: UserName, metadata: String) async throws(CaselogError) -> AccessToken {
        try await change(name, metadata: metadata) { account throws(DomainError) in
            let decision = try account.issueToken()
            return (decision.events, decision.token)
        }
    }

    /// Changes a user's role (and organization, for coordinators).
    public func changeRole(_ name: UserName, to role: Role, organization: String?, metadata: String)
        async throws(CaselogError)
    {
        try await change(name, metadata: metadata) { account throws(DomainError) in
            (try account.changeRole(to: role, organization: organization), ())
        }
    }

    /// Revokes one token by its id, or all of them (nil); answers how many were revoked.
    public func revoke(_ name: UserName, tokenID: String?, metadata: String) async throws(CaselogError) -> Int {
        try await change(name, metadata: metadata) { account throws(DomainError) in
            let events = try account.revoke(tokenID: tokenID)
            return (events, events.count)
        }
    }

    /// Disables a user: its tokens stop working; its history stays.
    public func disable(_ name: UserName, reason: String, metadata: String) async throws(CaselogError) {
        try await change(name, metadata: metadata) { account throws(DomainError) in
            (try account.disable(reason: reason), ())
        }
    }

    /// Appends the events `decision` makes from the account's current state, deciding again when
    /// another writer changed the stream in between; then moves the access epoch on.
    private func change<Value: Sendable>(
        _ name: UserName,
        metadata: String,
        _ decision: (UserAccount) throws(DomainError) -> (events: [UserEvent], value: Value)
    ) async throws(CaselogError) -> Value {
        try await change(name, related: [], metadata: metadata) { account, _ throws(DomainError) in
            try decision(account)
        }
    }

    /// `change`, deciding also on the histories of `related` streams (keyed by stream name).
    private func change<Value: Sendable>(
        _ name: UserName,
        related: [StreamName],
        metadata: String,
        _ decision: (UserAccount, [String: [EventPayload]]) throws(DomainError) -> (events: [UserEvent], value: Value)
    ) async throws(CaselogError) -> Value {
        // Also after a failed append: its outcome may be unknown, and a recheck costs little.
        defer { epochCounter.add(1, ordering: .releasing) }
        return try await StreamWriter.write(
            to: try StreamName(request: name.stream),
            related: related,
            metadata: metadata,
            backend: backend
        ) { history, relatedHistories throws(DomainError) in
            let outcome = try decision(try Self.fold(name, history), relatedHistories)
            return (outcome.events.map { EventPayload(type: $0.type, data: $0.data) }, outcome.value)
        }.value
    }

    /// The account `history` folds to; a refusal when an event cannot be read.
    private static func fold(_ name: UserName, _ history: [EventPayload]) throws(DomainError) -> UserAccount {
        UserAccount(
            name: name,
            events: try history.map { event throws(DomainError) in try UserEvent(type: event.type, data: event.data) }
        )
    }

    /// `fold` with its refusal as the application's error.
    private static func account(_ name: UserName, _ history: [EventPayload]) throws(CaselogError) -> UserAccount {
        do {
            return try fold(name, history)
        } catch {
            throw CaselogError(error)
        }
    }
}
