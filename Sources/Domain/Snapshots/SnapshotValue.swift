/// One value of an entity snapshot, in the shapes a protocol reply can carry.
public enum SnapshotValue: Sendable, Hashable, CustomStringConvertible {
    case text(String)
    case integer(Int64)
    case bool(Bool)
    case null
    case list([SnapshotValue])

    /// `.text`, or `.null` when there is no value.
    public init(_ text: String?) {
        self = text.map(SnapshotValue.text) ?? .null
    }

    public var description: String {
        switch self {
        case .text(let text): text
        case .integer(let number): String(number)
        case .bool(let flag): String(flag)
        case .null: "(nil)"
        case .list(let values): "[" + values.map(\.description).joined(separator: ", ") + "]"
        }
    }
}
