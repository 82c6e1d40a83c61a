import Foundation

/// A one-line progress display on standard error, redrawn in place; silent when stderr is not a terminal.
struct ProgressBar {
    let label: String
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private var lastDrawn = Date.distantPast

    init(label: String) { self.label = label }

    mutating func update(done: Int64, total: Int64) {
        guard isTerminal, Date().timeIntervalSince(lastDrawn) > 0.1 || done == total else { return }
        lastDrawn = Date()
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total) \(Int(fraction * 100))%".utf8))
    }

    func finish() {
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
