import Foundation
import ReadModels
import Synchronization

/// Rows decoded from their stored documents, kept by the document's text. A stored version of a
/// row never changes and the same pages are read again and again (the overdue list, a
/// dashboard's), so each document is decoded once rather than on every read: decoding with
/// `JSONDecoder` was a fifth of a list's time on the server. Decoding is a function of the text
/// alone, so a kept row is always the one decoding would give; at most `limit` are kept.
final class DecodedRows: Sendable {
    static let shared = DecodedRows(limit: 5_000)
    /// The largest page whose rows are kept: a screen's worth. Larger pages are bulk reads (the
    /// report reading a whole board), decoded as they pass so as not to push out the hot rows.
    static let keptPageRows = 500

    private struct Key: Hashable, Sendable {
        let type: ObjectIdentifier
        let document: String
    }

    private let rows = Mutex<[Key: any Sendable]>([:])
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// The row `document` holds, decoded by `decoder` unless it was decoded before.
    func row<Row: ReadModelRow>(_ type: Row.Type, from document: String, decoder: JSONDecoder) throws -> Row {
        let key = Key(type: ObjectIdentifier(Row.self), document: document)
        if let row = rows.withLock({ $0[key] }) as? Row { return row }
        let row = try decoder.decode(Row.self, from: Data(document.utf8))
        rows.withLock { rows in
            if rows.count >= limit { rows.removeAll(keepingCapacity: true) }
            rows[key] = row
        }
        return row
    }

    /// How many rows are kept.
    var count: Int { rows.withLock { $0.count } }
}
