public import ArgumentParser
public import EventLog
import Foundation
import ProtocolClient

/// `caselog export`: the history exactly as stored, hashes included, for an auditor to keep and
/// check offline with `caselog verify --file`.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export the history exactly as stored (hashes included) as JSON lines or CSV.",
        discussion: """
            Reads the log over the admin protocol (an auditor's read-only token is enough) and \
            writes one event per line to standard output or --output, with progress on standard \
            error. Check the file later with no server: caselog verify --file history.jsonl.

            Example:
              CASELOG_TOKEN=... caselog export --from 1 -o history.jsonl
            """
    )

    @OptionGroup var client: ClientOptions

    @Option(help: "First position to export.") var from: Int64 = 1
    @Option(help: "Last position to export (default: the head when the export starts).") var to: Int64?
    @Option(help: "Only the events of this stream.") var stream: String?
    @Option(help: "Only the events of this type.") var type: String?
    @Option(help: "jsonl (one JSON object per line) or csv (the columns of the events table).")
    var format: HistoryFile.Format = .jsonl
    @Option(name: [.customShort("o"), .long], help: "Write to this file instead of standard output.")
    var output: String?

    func validate() throws {
        guard from >= 1 else { throw ValidationError("--from must be a position, 1 or more") }
        if let to, to < from { throw ValidationError("--to must not be before --from") }
    }

    func run() async throws {
        let sink = try HistorySink(path: output)
        let export = HistoryExport(range: .init(from: from, through: to, stream: stream, type: type))
        let format = format
        if format == .csv { sink.write(HistoryFile.csvHeader) }
        let connection = client.connection
        let written = try await connection.withClient { first in
            try await connection.withClient { second in
                var bar = ProgressBar(label: "exporting")
                defer { bar.finish() }
                return try await export.run([first, second], progress: { bar.update(done: $0, total: $1) }) { event in
                    sink.writeLine { line in
                        switch format {
                        case .jsonl: HistoryFile.appendJSONLine(event, to: &line)
                        case .csv: HistoryFile.appendCSVRow(event, to: &line)
                        }
                    }
                }
            }
        }
        sink.close()
        FileHandle.standardError.write(Data("exported \(written) events\n".utf8))
    }
}

extension HistoryFile.Format: ExpressibleByArgument {}

/// Lines written to a file or standard output through a buffer.
final class HistorySink {
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    init(path: String?) throws {
        guard let path else {
            handle = .standardOutput
            return
        }
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw ValidationError("cannot create \(path)")
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw ValidationError("cannot write \(path)") }
        self.handle = handle
    }

    func write(_ line: String) {
        writeLine { $0.append(contentsOf: line.utf8) }
    }

    /// Writes the line `append` adds to the buffer, and a line break.
    func writeLine(_ append: (inout [UInt8]) -> Void) {
        append(&buffer)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 20 { flush() }
    }

    func close() {
        flush()
        if handle !== FileHandle.standardOutput { try? handle.close() }
    }

    private func flush() {
        // Written in place: the buffer is the file's next megabyte, not copied into a `Data` first.
        buffer.withUnsafeMutableBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            handle.write(Data(bytesNoCopy: base, count: bytes.count, deallocator: .none))
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
