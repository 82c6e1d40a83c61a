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

    /// Reads the range through `client`, handing each kept event's text to `write` and the
    /// positions read so far (and the last one) to `progress`; returns the number of events written.
    public func run(
        _ client: RESPClient,
        progress: (_ read: Int64, _ total: Int64) -> Void = { _, _ in },
        write: (EventText) throws -> Void
    ) async throws -> Int64 {
        let head = try ServerRefusal.check(try await client.command("LOG", "HEAD"))
        guard case .integer(let headPosition) = head["position"] else {
            throw HistoryExportError("the server's LOG HEAD has no position: \(head)")
        }
        let last = min(range.through ?? headPosition, headPosition)
        let first = max(range.from, 1)
        let stream = range.stream.map { Array($0.utf8) }
        let type = range.type.map { Array($0.utf8) }
        var written: Int64 = 0
        // Positions have no gaps, so each page ends where it was asked to: the next page is asked
        // for as soon as this one has arrived, and the server reads it while the client writes.
        func ask(from position: LogPosition) async throws {
            let count = min(Int64(Self.pageSize), last - position + 1)
            try await client.send(
                raw: RESPClient.encode(["LOG", "READ", "FROM", String(position), "COUNT", String(count)])
            )
        }
        var requested = first
        if requested <= last { try await ask(from: requested) }
        while requested <= last {
            let page = try await client.replyBytes()
            let expectedEnd = min(requested + Int64(Self.pageSize) - 1, last)
            if expectedEnd < last { try await ask(from: expectedEnd + 1) }
            var end = requested - 1
            try LogReadPage.forEachEvent(in: page) { event in
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
            requested = end + 1
            progress(requested - first, last - first + 1)
        }
        return written
    }
}

/// The export could not be completed; the message says why (the server's error where it refused).
public struct HistoryExportError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
