import AdminProtocol
public import EventLog

/// Reads the log over the protocol for `caselog export`: `LOG READ` page by page, each event as
/// stored, filtered by stream and type on the way.
public struct HistoryExport: Sendable {
    /// Which events to export.
    public struct Range: Sendable {
        public var from: LogPosition = 1
        /// The last position (nil: the head when the export starts).
        public var through: LogPosition?
        public var stream: String?
        public var type: String?

        public init(from: LogPosition = 1, through: LogPosition? = nil, stream: String? = nil, type: String? = nil) {
            self.from = from
            self.through = through
            self.stream = stream
            self.type = type
        }
    }

    /// Events per `LOG READ`.
    public static let pageSize = 10_000

    public let range: Range

    public init(range: Range) {
        self.range = range
    }

    /// Reads the range through `clients` (connections to one server), handing each kept event's
    /// text to `write` and the positions read so far (and the last one) to `progress`; returns
    /// the number of events written.
    ///
    /// Pages are asked for round robin, one ahead on each connection: the server reads and
    /// encodes the next pages on as many connections at once while the client writes this one.
    public func run(
        _ clients: [RESPClient],
        progress: (_ read: Int64, _ total: Int64) -> Void = { _, _ in },
        write: (EventText) throws -> Void
    ) async throws -> Int64 {
        guard let first = clients.first else { throw HistoryExportError("an export needs a connection") }
        let head = try ServerRefusal.check(try await first.command("LOG", "HEAD"))
        guard case .integer(let headPosition) = head["position"] else {
            throw HistoryExportError("the server's LOG HEAD has no position: \(head)")
        }
        let last = min(range.through ?? headPosition, headPosition)
        let from = max(range.from, 1)
        let stream = range.stream.map { Array($0.utf8) }
        let type = range.type.map { Array($0.utf8) }
        // Positions have no gaps, so every page ends where it was asked to.
        let starts = from <= last ? Array(stride(from: from, through: last, by: Self.pageSize)) : []
        func ask(_ page: Int) async throws {
            let count = min(Int64(Self.pageSize), last - starts[page] + 1)
            try await clients[page % clients.count].send(
                raw: RESPClient.encode(["LOG", "READ", "FROM", String(starts[page]), "COUNT", String(count)])
            )
        }
        for page in starts.indices.prefix(clients.count) { try await ask(page) }
        var written: Int64 = 0
        for page in starts.indices {
            let reply = try await clients[page % clients.count].replyBytes()
            if page + clients.count < starts.count { try await ask(page + clients.count) }
            let expectedEnd = min(starts[page] + Int64(Self.pageSize) - 1, last)
            var end = starts[page] - 1
            try LogReadPage.forEachEvent(in: reply) { event in
                guard event.position == end + 1 else {
                    throw HistoryExportError("the server sent position \(event.position) after \(end)")
                }
                end = event.position
                if let stream, !event.stream.elementsEqual(stream) { return }
                if let type, !event.type.elementsEqual(type) { return }
                try write(event)
                written += 1
            }
            guard end == expectedEnd else {
                throw HistoryExportError("the log ended at position \(end), before \(last)")
            }
            progress(end + 1 - from, last - from + 1)
        }
        return written
    }
}

/// The export could not be completed; the message says why (the server's error where it refused).
public struct HistoryExportError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
