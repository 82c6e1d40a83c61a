import Foundation
public import PostgresNIO

/// Reads a `postgres://user:password@host:port/database` URL into a client configuration.
public enum DatabaseURL {
    /// Parses `url`; `sslmode=disable` (or a loopback host) turns TLS off, otherwise TLS is preferred.
    ///
    /// Sessions plan statements once, for any values (`plan_cache_mode=force_generic_plan`): the
    /// append statements' array parameters would otherwise make PostgreSQL plan them afresh on
    /// every call. The setting holds for every statement with parameters, prepared by name or not,
    /// so queries are written to reach their rows through indexes whatever the values (the read
    /// models' list queries carry only the filters given; `ListQueryPlanTests` checks their plans).
    public static func configuration(from url: String) throws -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url),
            ["postgres", "postgresql"].contains(components.scheme ?? ""),
            let host = components.host, !host.isEmpty
        else {
            throw DatabaseURLError("DATABASE_URL must look like postgres://user:password@host:port/database")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let sslMode = components.queryItems?.first { $0.name == "sslmode" }?.value
        let isLoopback = ["127.0.0.1", "localhost", "::1"].contains(host)
        let tls: PostgresClient.Configuration.TLS =
            sslMode == "disable" || (sslMode == nil && isLoopback) ? .disable : .prefer(.makeClientConfiguration())
        var configuration = PostgresClient.Configuration(
            host: host,
            port: components.port ?? 5432,
            username: components.percentEncodedUser?.removingPercentEncoding ?? "postgres",
            password: components.percentEncodedPassword?.removingPercentEncoding,
            database: database.isEmpty ? nil : database,
            tls: tls
        )
        configuration.options.additionalStartupParameters = [("plan_cache_mode", "force_generic_plan")]
        return configuration
    }
}

/// A database URL that cannot be used; the message says what is wrong without echoing secrets.
public struct DatabaseURLError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
