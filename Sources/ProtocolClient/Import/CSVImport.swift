import AdminProtocol
public import EventLog

/// Sends an import plan's rows over the protocol, each batch as `MULTI` … `EXEC`, so that a
/// batch appends all of its rows or none; `check` ends each batch with `EXEC CHECK` instead,
/// which has the server decide every row as it would and append nothing.
public struct CSVImport: Sendable {
    /// How many commands are written before their replies are read.
    public static let window = 256

    public let plan: ImportPlan
    /// Rows per batch; nil: the whole file in one.
    public let chunkSize: Int?

    public init(plan: ImportPlan, chunkSize: Int?) {
        self.plan = plan
        self.chunkSize = chunkSize
    }

    /// What an import appended.
    public struct Report: Sendable, Equatable {
        /// Rows whose command appended events.
        public var appended = 0
        /// Rows whose entity was already there, from an earlier import of the same rows.
        public var present = 0
        public var batches = 0
        public var firstPosition: LogPosition?
        public var lastPosition: LogPosition?

        public init() {}
    }

    /// How a run ended: everything appended, or rows refused (the batches before the refused
    /// one stay appended; the refused batch appended nothing).
    public enum Outcome: Sendable, Equatable {
        case appended(Report)
        case refused([ImportProblem], appendedBefore: Report)
    }

    /// Has the server decide every row, batch by batch, appending nothing (each batch against the
    /// log as it stands, without the batches before it); returns the problems found. `progress`
    /// is told the rows checked and the total.
    public func check(_ client: RESPClient, progress: (Int, Int) -> Void = { _, _ in }) async throws -> [ImportProblem]
    {
        var problems: [ImportProblem] = []
        var done = 0
        for chunk in plan.chunks(of: chunkSize) {
            let queueing = try await queue(chunk, on: client) { progress(done + $0, plan.rows.count) }
            guard queueing.isEmpty else {
                _ = try ServerRefusal.check(try await client.command("DISCARD"))
                problems += queueing
                continue
            }
            problems += try refusals(of: chunk, in: try await client.command("EXEC", "CHECK"))
            done += chunk.count
        }
        return problems
    }

    /// Sends every batch in turn and stops at the first one with a refused row.
    public func run(_ client: RESPClient, progress: (Int, Int) -> Void = { _, _ in }) async throws -> Outcome {
        var report = Report()
        var done = 0
        for chunk in plan.chunks(of: chunkSize) {
            let problems = try await queue(chunk, on: client) { progress(done + $0, plan.rows.count) }
            guard problems.isEmpty else {
                _ = try ServerRefusal.check(try await client.command("DISCARD"))
                return .refused(problems, appendedBefore: report)
            }
            let reply = try await client.command("EXEC")
            let refused = try refusals(of: chunk, in: reply)
            guard refused.isEmpty, case .array(let items) = reply else {
                return .refused(refused, appendedBefore: report)
            }
            for item in items {
                guard case .integer(let position) = item["position"] else {
                    report.present += 1
                    continue
                }
                report.appended += 1
                report.firstPosition = min(report.firstPosition ?? position, position)
                report.lastPosition = max(report.lastPosition ?? position, position)
            }
            report.batches += 1
            done += chunk.count
        }
        return .appended(report)
    }

    /// The rows `EXEC` (or `EXEC CHECK`) refused, from its reply; throws a refusal of the whole batch.
    private func refusals(of rows: ArraySlice<ImportPlan.Row>, in reply: RESPValue) throws -> [ImportProblem] {
        let checked = try ServerRefusal.check(reply)
        guard case .array(let items) = checked, items.count == rows.count else {
            throw ServerRefusal("ERR EXEC answered \(checked) for \(rows.count) commands")
        }
        return zip(rows, items).compactMap { row, item in
            item.errorCode == nil ? nil : problem(row, item.text ?? "", fromExec: true)
        }
    }

    /// Starts a transaction and queues `rows`, `window` commands per write; returns the rows the
    /// server refused while queueing. `sent` is told how many rows were queued so far.
    private func queue(
        _ rows: ArraySlice<ImportPlan.Row>,
        on client: RESPClient,
        sent: (Int) -> Void
    ) async throws -> [ImportProblem] {
        _ = try ServerRefusal.check(try await client.command("MULTI"))
        var problems: [ImportProblem] = []
        var queued = 0
        var start = rows.startIndex
        while start < rows.endIndex {
            let window = rows[start..<min(start + Self.window, rows.endIndex)]
            try await client.send(raw: window.map { RESPClient.encode($0.command) }.joined())
            for row in window {
                let reply = try await client.reply()
                if reply.errorCode != nil { problems.append(problem(row, reply.text ?? "", fromExec: false)) }
            }
            queued += window.count
            sent(queued)
            start = window.endIndex
        }
        return problems
    }

    /// The problem a refusal of `row` names: `INVALID attendance: …` is about the attendance
    /// column; a refusal that names no column keeps its code and whole message. EXEC's refusals
    /// (`CODE index N: message`) drop the index, which `row` stands for.
    func problem(_ row: ImportPlan.Row, _ error: String, fromExec: Bool) -> ImportProblem {
        let code = String(error.prefix { $0 != " " })
        var message = String(error.dropFirst(code.count).drop { $0 == " " })
        if fromExec, message.hasPrefix("index "), let colon = message.range(of: ": ") {
            message = String(message[colon.upperBound...])
        }
        if let colon = message.range(of: ": "), case let field = String(message[..<colon.lowerBound]),
            !field.contains(" "), let column = plan.columns[field]
        {
            return ImportProblem(line: row.line, column: column, reason: String(message[colon.upperBound...]))
        }
        return ImportProblem(line: row.line, column: nil, reason: "\(code) \(message)")
    }
}
