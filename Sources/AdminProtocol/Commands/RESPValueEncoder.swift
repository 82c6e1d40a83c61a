/// Encodes an `Encodable` value straight into a RESP value, as its JSON form reads: objects as
/// maps with sorted keys, arrays as arrays, strings as bulk strings, booleans as booleans, whole
/// numbers as integers and other numbers as doubles; optionals without a value are left out, as
/// JSONEncoder leaves them out.
///
/// Replies built from read-model rows use it: a JSON round trip per row (encode, then decode
/// into a generic value) cost more than the query itself.
enum RESPValueEncoder {
    static func encode(_ value: some Encodable) throws -> RESPValue {
        let root = Node()
        try root.encode(value, codingPath: [])
        return root.value
    }

    /// One value under construction: a scalar, an object's members or an array's items, which
    /// containers fill in place.
    fileprivate final class Node {
        var scalar: RESPValue?
        var members: [String: Node]?
        var items: [Node]?

        var value: RESPValue {
            if let members {
                return .map(pairs: members.keys.sorted().map { key in (.bulk(key), members[key]?.value ?? .null) })
            }
            if let items { return .array(items.map(\.value)) }
            return scalar ?? .map(pairs: [])
        }

        /// The member under `key` (this node becomes an object).
        func member(_ key: String) -> Node {
            if let existing = members?[key] { return existing }
            let child = Node()
            becomeObject()
            members?[key] = child
            return child
        }

        /// A new last item (this node becomes an array).
        func appendItem() -> Node {
            let child = Node()
            becomeArray()
            items?.append(child)
            return child
        }

        /// Makes this node an object (an empty one unless it has members).
        func becomeObject() { if members == nil { members = [:] } }
        /// Makes this node an array (an empty one unless it has items).
        func becomeArray() { if items == nil { items = [] } }

        /// Encodes `value` into this node: primitives directly, anything else by its own `encode(to:)`.
        func encode<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws {
            switch value {
            case let text as String: scalar = .bulk(text)
            case let flag as Bool: scalar = .boolean(flag)
            case let number as Int: scalar = .integer(Int64(number))
            case let number as Int64: scalar = .integer(number)
            case let number as Int32: scalar = .integer(Int64(number))
            case let number as Int16: scalar = .integer(Int64(number))
            case let number as Int8: scalar = .integer(Int64(number))
            case let number as UInt8: scalar = .integer(Int64(number))
            case let number as UInt16: scalar = .integer(Int64(number))
            case let number as UInt32: scalar = .integer(Int64(number))
            case let number as UInt: scalar = Int64(exactly: number).map(RESPValue.integer) ?? .double(Double(number))
            case let number as UInt64: scalar = Int64(exactly: number).map(RESPValue.integer) ?? .double(Double(number))
            case let number as Double: scalar = Self.number(number)
            // As JSON writes it: the shortest decimal that reads back as the same Float.
            case let number as Float: scalar = Self.number(Double(String(number)) ?? Double(number))
            default: try value.encode(to: NodeEncoder(node: self, codingPath: codingPath))
            }
        }

        /// A number as JSON gives it back: whole ones as integers.
        static func number(_ number: Double) -> RESPValue {
            if number.rounded() == number, let whole = Int64(exactly: number) { return .integer(whole) }
            return .double(number)
        }
    }

    private struct NodeEncoder: Encoder {
        let node: Node
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            node.becomeObject()
            return KeyedEncodingContainer(Keyed(node: node, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            node.becomeArray()
            return Unkeyed(node: node, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer {
            Single(node: node, codingPath: codingPath)
        }
    }

    private struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        let codingPath: [any CodingKey]

        mutating func encodeNil(forKey key: Key) throws { node.member(key.stringValue).scalar = (.null) }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try node.member(key.stringValue).encode(value, codingPath: codingPath + [key])
        }

        // The common members directly, without the generic path's dynamic casts.
        mutating func encode(_ value: String, forKey key: Key) throws {
            node.member(key.stringValue).scalar = .bulk(value)
        }

        mutating func encode(_ value: Bool, forKey key: Key) throws {
            node.member(key.stringValue).scalar = .boolean(value)
        }

        mutating func encode(_ value: Int, forKey key: Key) throws {
            node.member(key.stringValue).scalar = .integer(Int64(value))
        }

        mutating func encode(_ value: Int64, forKey key: Key) throws {
            node.member(key.stringValue).scalar = .integer(value)
        }

        mutating func encode(_ value: Double, forKey key: Key) throws {
            node.member(key.stringValue).scalar = Node.number(value)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
            -> KeyedEncodingContainer<NestedKey>
        {
            NodeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            NodeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder { NodeEncoder(node: node.member("super"), codingPath: codingPath) }

        mutating func superEncoder(forKey key: Key) -> any Encoder {
            NodeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key])
        }
    }

    private struct Unkeyed: UnkeyedEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]
        var count: Int { node.items?.count ?? 0 }

        mutating func encodeNil() throws { node.appendItem().scalar = (.null) }

        mutating func encode<T: Encodable>(_ value: T) throws {
            try node.appendItem().encode(value, codingPath: codingPath)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
            -> KeyedEncodingContainer<NestedKey>
        {
            NodeEncoder(node: node.appendItem(), codingPath: codingPath).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            NodeEncoder(node: node.appendItem(), codingPath: codingPath).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder { NodeEncoder(node: node.appendItem(), codingPath: codingPath) }
    }

    private struct Single: SingleValueEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]

        mutating func encodeNil() throws { node.scalar = (.null) }

        mutating func encode<T: Encodable>(_ value: T) throws { try node.encode(value, codingPath: codingPath) }

        mutating func encode(_ value: String) throws { node.scalar = .bulk(value) }
    }
}
