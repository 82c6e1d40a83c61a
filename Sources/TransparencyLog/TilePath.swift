/// A resource of the C2SP tlog-tiles layout: a tile of tree hashes, an entry bundle, or the
/// checkpoint, with its path.
///
/// Tiles have height 8: the tile at level `L` and index `N` holds the hashes of the complete
/// subtrees of tree level `8·L` from index `256·N` on, 256 of them in a full tile or `width`
/// (1…255) in a partial one (`.p/<W>`). The entry bundle `N` holds the leaf data of entries
/// `256·N` on. `N` is written in three-digit groups, every group but the last prefixed by `x`.
public enum TilePath: Hashable, Sendable {
    case checkpoint
    case tile(level: Int, index: Int64, width: Int)
    case entries(index: Int64, width: Int)

    /// Hashes (or entries) per full tile.
    public static let fullWidth = 256
    /// Tree levels per tile level.
    public static let height = 8

    /// Reads a request path such as `/tile/0/x001/234.p/17`; nil for anything else.
    public init?(_ path: String) {
        guard path.hasPrefix("/") else { return nil }
        var parts = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)[...]
        if parts == ["checkpoint"] {
            self = .checkpoint
            return
        }
        guard parts.popFirst() == "tile", let kind = parts.popFirst() else { return nil }
        var width = Self.fullWidth
        if parts.count >= 2, parts[parts.endIndex - 2].hasSuffix(".p") {
            guard let partial = Int(parts[parts.endIndex - 1]), partial >= 1, partial < Self.fullWidth,
                String(partial) == parts[parts.endIndex - 1]
            else { return nil }
            width = partial
            parts.removeLast()
            parts[parts.endIndex - 1] = parts[parts.endIndex - 1].dropLast(2)
        }
        guard let index = Self.index(parts) else { return nil }
        if kind == "entries" {
            self = .entries(index: index, width: width)
        } else if let level = Int(kind), String(level) == kind, (0...7).contains(level) {
            self = .tile(level: level, index: index, width: width)
        } else {
            return nil
        }
    }

    /// The path, as `init?(_:)` reads it.
    public var path: String {
        switch self {
        case .checkpoint: "/checkpoint"
        case .tile(let level, let index, let width): "/tile/\(level)/\(Self.encode(index))\(Self.suffix(width))"
        case .entries(let index, let width): "/tile/entries/\(Self.encode(index))\(Self.suffix(width))"
        }
    }

    /// Whether the resource never changes once it exists: full tiles and bundles, and partial ones
    /// too (their hashes are fixed once stored), but not the checkpoint.
    public var isImmutable: Bool { self != .checkpoint }

    private static func suffix(_ width: Int) -> String { width == fullWidth ? "" : ".p/\(width)" }

    private static func encode(_ index: Int64) -> String {
        var groups: [String] = []
        var rest = index
        repeat {
            let group = String(rest % 1000)
            groups.insert(String(repeating: "0", count: 3 - group.count) + group, at: 0)
            rest /= 1000
        } while rest > 0
        return groups.enumerated().map { $0.offset < groups.count - 1 ? "x" + $0.element : $0.element }
            .joined(separator: "/")
    }

    private static func index(_ groups: ArraySlice<Substring>) -> Int64? {
        guard !groups.isEmpty, groups.count <= 7 else { return nil }
        var index: Int64 = 0
        for (offset, group) in groups.enumerated() {
            let isLast = offset == groups.count - 1
            let digits = isLast ? group : (group.hasPrefix("x") ? group.dropFirst() : "")
            guard digits.count == 3, digits.allSatisfy(\.isASCII), let value = Int64(digits), value >= 0 else {
                return nil
            }
            guard offset > 0 || value > 0 || isLast else { return nil }
            let (product, overflow) = index.multipliedReportingOverflow(by: 1000)
            guard !overflow else { return nil }
            index = product + value
        }
        return index
    }
}
