import ReadModels
import Synchronization

/// Read-model rows encoded into reply fields, kept by the row's value: the same rows are sent
/// again and again (a list's first page, a dashboard's), and encoding them was a fifth of a
/// list's time on the server. Encoding is a function of the row alone, so the kept fields are
/// always the ones encoding would give; at most `limit` rows are kept.
final class EncodedRows: Sendable {
    static let shared = EncodedRows(limit: 5_000)

    /// A row as a dictionary key; `AnyHashable` is not `Sendable`, the read-model rows it holds are.
    private struct Key: Hashable, @unchecked Sendable {
        let row: AnyHashable
    }

    private let fields = Mutex<[Key: [RESPValue.MapEntry]]>([:])
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// The fields of `row`'s map, encoded unless they were before.
    func fields(of row: some ReadModelRow) -> [RESPValue.MapEntry] {
        let key = Key(row: AnyHashable(row))
        if let kept = fields.withLock({ $0[key] }) { return kept }
        var encoded: [RESPValue.MapEntry] = []
        if case .map(let entries)? = try? RESPValueEncoder.encode(row) { encoded = entries }
        fields.withLock { fields in
            if fields.count >= limit { fields.removeAll(keepingCapacity: true) }
            fields[key] = encoded
        }
        return encoded
    }

    /// How many rows are kept.
    var count: Int { fields.withLock { $0.count } }
}
