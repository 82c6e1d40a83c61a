public import Foundation

/// Where the command-line clients find the server and their token: flags, else `CASELOG_SERVER`
/// and `CASELOG_TOKEN`, else the file `caselog login` wrote, else the default address; read in
/// this one place.
public struct ClientConfiguration: Sendable, Hashable {
    /// The admin protocol's default address.
    public static let defaultServer = "127.0.0.1:7379"

    public let host: String
    public let port: Int
    public let token: String?

    /// Resolves `server` (`host:port`) and `token`, given as flags or nil, against `environment`
    /// and the login file; an empty token or variable is none.
    public init(
        server: String?,
        token: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ClientConfigurationError) {
        let environment = environment.filter { !$0.value.isEmpty }
        let saved = try LoginFile(environment: environment).read()
        let address = server ?? environment["CASELOG_SERVER"] ?? saved["server"] ?? Self.defaultServer
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
            (1...65535).contains(port), colon != address.startIndex
        else {
            throw ClientConfigurationError("server: '\(address)' is not host:port (e.g. \(Self.defaultServer))")
        }
        self.host = String(address[..<colon])
        self.port = port
        self.token = (token ?? environment["CASELOG_TOKEN"] ?? saved["token"]).flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// Client settings that cannot be used; the message names the setting.
public struct ClientConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The file `caselog login` writes, `$XDG_CONFIG_HOME/caselog/config` (else
/// `~/.config/caselog/config`): `server=` and `token=` lines, readable by its owner only.
public struct LoginFile: Sendable, Hashable {
    public let path: String

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let base =
            environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.config")
        path = base + "/caselog/config"
    }

    /// The saved settings; none when there is no file. A file others may read is refused, since
    /// it holds a token.
    public func read() throws(ClientConfigurationError) -> [String: String] {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return [:] }
        let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
        guard mode & 0o077 == 0 else {
            throw ClientConfigurationError(
                "\(path) may be read by others (mode \(String(mode, radix: 8))); run chmod 600 on it or caselog login again"
            )
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ClientConfigurationError("\(path) cannot be read")
        }
        var settings: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard let equals = line.firstIndex(of: "=") else { continue }
            settings[line[..<equals].trimmingCharacters(in: .whitespaces)] = line[line.index(after: equals)...]
                .trimmingCharacters(in: .whitespaces)
        }
        return settings
    }

    /// Writes `server` and `token`, readable and writable by the owner only (the folder too).
    public func write(server: String, token: String) throws(ClientConfigurationError) {
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(
                atPath: folder,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
            _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            try Data("server=\(server)\ntoken=\(token)\n".utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw ClientConfigurationError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
