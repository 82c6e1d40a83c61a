/// What a user may do: admins run the system, leadership reads across organizations,
/// coordinators act for their own organization, auditors read all history and change nothing.
public enum Role: String, Sendable, Hashable, CaseIterable, Codable {
    case admin
    case leadership
    case coordinator
    case auditor

    /// Parses a role name case-insensitively, naming the allowed values when it is not one.
    public init(parsing text: String) throws(DomainError) {
        guard let role = Role(rawValue: text.lowercased()) else {
            throw .invalid("role", "must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = role
    }
}

/// An authenticated user as the protocol sees it: who, in which role, for which organization.
public struct Principal: Sendable, Hashable {
    public let user: String
    public let role: Role
    /// The organization a coordinator acts for; nil for the other roles.
    public let organization: String?

    public init(user: String, role: Role, organization: String?) {
        self.user = user
        self.role = role
        self.organization = organization
    }
}
