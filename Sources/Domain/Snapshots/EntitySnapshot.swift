/// The current state of one entity as ordered (field, value) pairs, `id` and `status` first.
///
/// Fields are named as in event data (snake_case); the stream's version is not part of it.
public struct EntitySnapshot: Sendable, Equatable, CustomStringConvertible {
    public let fields: [(String, SnapshotValue)]

    public init(_ fields: [(String, SnapshotValue)]) {
        self.fields = fields
    }

    /// The value of `field`; nil when the snapshot has no such field.
    public subscript(field: String) -> SnapshotValue? {
        fields.first { $0.0 == field }?.1
    }

    public static func == (lhs: EntitySnapshot, rhs: EntitySnapshot) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0.0 == $1.0 && $0.1 == $1.1 }
    }

    /// `field=value` pairs on one line, for logs and test failures.
    public var description: String {
        fields.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
    }
}
