public import Foundation

/// Where the command-line clients find the server and their token: flags, else `CASELOG_SERVER`
/// and `CASELOG_TOKEN`, else the default address; read in this one place.
public struct ClientConfiguration: Sendable, Hashable {
    /// The admin protocol's default address.
    public static let defaultServer = "127.0.0.1:7379"

    public let host: String
    public let port: Int
    public let token: String?

    /// Resolves `server` (`host:port`) and `token`, given as flags or nil, against `environment`;
    /// an empty token is none.
    public init(
        server: String?,
        token: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ClientConfigurationError) {
        let address = server ?? environment["CASELOG_SERVER"] ?? Self.defaultServer
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
            (1...65535).contains(port), colon != address.startIndex
        else {
            throw ClientConfigurationError("server: '\(address)' is not host:port (e.g. \(Self.defaultServer))")
        }
        self.host = String(address[..<colon])
        self.port = port
        self.token = (token ?? environment["CASELOG_TOKEN"]).flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// Client settings that cannot be used; the message names the setting.
public struct ClientConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
