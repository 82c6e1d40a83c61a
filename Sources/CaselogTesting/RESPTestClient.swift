public import ProtocolClient

/// The tests' client: the admin protocol's plain TCP client.
public typealias RESPTestClient = RESPClient
