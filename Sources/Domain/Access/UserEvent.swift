import Foundation

/// The events of a `user-<name>` stream: every grant, token and revocation is history.
public enum UserEvent: Sendable, Hashable {
    case added(role: Role, organization: String?)
    case roleChanged(role: Role, organization: String?)
    /// A token was issued; only its hash is recorded.
    case tokenIssued(id: String, hash: String)
    case tokenRevoked(id: String)
    case disabled(reason: String)

    /// The event type as stored in the log.
    public var type: String {
        switch self {
        case .added: "UserAdded"
        case .roleChanged: "UserRoleChanged"
        case .tokenIssued: "TokenIssued"
        case .tokenRevoked: "TokenRevoked"
        case .disabled: "UserDisabled"
        }
    }

    private struct Payload: Codable {
        var role: Role?
        var org: String?
        var tokenID: String?
        var tokenSHA256: String?
        var reason: String?

        enum CodingKeys: String, CodingKey {
            case role, org, reason
            case tokenID = "token_id"
            case tokenSHA256 = "token_sha256"
        }
    }

    /// The event's data as a JSON object.
    public var data: String {
        let payload: Payload =
            switch self {
            case .added(let role, let organization), .roleChanged(let role, let organization):
                Payload(role: role, org: organization)
            case .tokenIssued(let id, let hash): Payload(tokenID: id, tokenSHA256: hash)
            case .tokenRevoked(let id): Payload(tokenID: id)
            case .disabled(let reason): Payload(reason: reason)
            }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(payload)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// Reads a stored event back; throws when the type is unknown or a field is missing.
    public init(type: String, data: String) throws(DomainError) {
        guard let payload = try? JSONDecoder().decode(Payload.self, from: Data(data.utf8)) else {
            throw .invalid("data", "\(type) data is not readable")
        }
        let missing = DomainError.invalid("data", "\(type) lacks a required field")
        switch type {
        case "UserAdded", "UserRoleChanged":
            guard let role = payload.role else { throw missing }
            self =
                type == "UserAdded"
                ? .added(role: role, organization: payload.org) : .roleChanged(role: role, organization: payload.org)
        case "TokenIssued":
            guard let id = payload.tokenID, let hash = payload.tokenSHA256 else { throw missing }
            self = .tokenIssued(id: id, hash: hash)
        case "TokenRevoked":
            guard let id = payload.tokenID else { throw missing }
            self = .tokenRevoked(id: id)
        case "UserDisabled":
            self = .disabled(reason: payload.reason ?? "")
        default:
            throw .invalid("type", "\(type) is not a user event")
        }
    }
}
