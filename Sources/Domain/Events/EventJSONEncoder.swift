/// Writes an event body as the JSON text `JSONEncoder` writes with sorted keys and unescaped
/// slashes, for the values event bodies hold (objects, arrays, strings, integers, booleans; a
/// fractional number is refused), without Foundation's boxing of every value: a fifth of a domain
/// command's decision went to it.
enum EventJSONEncoder {
    /// `value` as JSON text.
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = TreeEncoder(node: JSONNode())
        try value.encode(to: encoder)
        var text = ""
        encoder.node.write(into: &text)
        return text
    }
}

/// One JSON value while it is being encoded: an object or an array stays open for more members
/// until the whole value is written out.
private final class JSONNode {
    /// The members of an object (in the order written; a key written again replaces its value),
    /// the elements of an array, or a scalar's JSON text.
    var members: [(key: String, node: JSONNode)]?
    var elements: [JSONNode]?
    var literal: String?

    init() {}

    init(literal: String) {
        self.literal = literal
    }

    func write(into text: inout String) {
        if let literal {
            text += literal
        } else if let elements {
            text += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { text += "," }
                element.write(into: &text)
            }
            text += "]"
        } else {
            text += "{"
            let sorted = (members ?? []).sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (index, member) in sorted.enumerated() {
                if index > 0 { text += "," }
                JSONNode.appendQuoted(member.key, to: &text)
                text += ":"
                member.node.write(into: &text)
            }
            text += "}"
        }
    }

    /// `string` as a JSON string: quotes, backslashes and control characters escaped, as `JSONEncoder` does.
    static func appendQuoted(_ string: String, to text: inout String) {
        text += "\""
        var plainStart = string.utf8.startIndex
        var index = plainStart
        let utf8 = string.utf8
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 {
                text += String(string[plainStart..<index])
                text += escape(byte)
                plainStart = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        text += String(string[plainStart..<utf8.endIndex])
        text += "\""
    }

    private static func escape(_ byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: "\""): return "\\\""
        case UInt8(ascii: "\\"): return "\\\\"
        case 0x08: return "\\b"
        case 0x09: return "\\t"
        case 0x0A: return "\\n"
        case 0x0C: return "\\f"
        case 0x0D: return "\\r"
        default:
            let hex = Array("0123456789abcdef")
            return "\\u00" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
        }
    }

    /// Sets the member `key` of this object to `node`.
    func set(_ key: String, _ node: JSONNode) {
        if let index = members?.firstIndex(where: { $0.key == key }) {
            members?[index].node = node
        } else {
            members?.append((key, node))
        }
    }

    /// The node `self` holds under `key`, made an object or array by `make` when missing.
    func member(_ key: String, _ make: () -> JSONNode) -> JSONNode {
        if let existing = members?.first(where: { $0.key == key }) { return existing.node }
        let node = make()
        if members == nil { members = [] }
        set(key, node)
        return node
    }
}

/// The `Encoder` writing into one node.
private struct TreeEncoder: Encoder {
    let node: JSONNode
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if node.members == nil { node.members = [] }
        return KeyedEncodingContainer(KeyedContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if node.elements == nil { node.elements = [] }
        return UnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueContainer(node: node, codingPath: codingPath)
    }

    /// `value`'s JSON node, encoded by its own `encode(to:)` unless it is a scalar.
    static func node(for value: some Encodable, at codingPath: [any CodingKey]) throws -> JSONNode {
        switch value {
        case let string as String: return JSONNode(literal: quoted(string))
        case let number as any BinaryInteger: return JSONNode(literal: String(describing: number))
        case let flag as Bool: return JSONNode(literal: flag ? "true" : "false")
        case is Double, is Float:
            // Event bodies hold no fractions; `JSONEncoder`'s way of writing them is not repeated here.
            throw EncodingError.invalidValue(
                value,
                .init(codingPath: codingPath, debugDescription: "event data holds no fractional numbers")
            )
        default:
            let encoder = TreeEncoder(node: JSONNode(), codingPath: codingPath)
            try value.encode(to: encoder)
            return encoder.node
        }
    }

    static func quoted(_ string: String) -> String {
        var text = ""
        JSONNode.appendQuoted(string, to: &text)
        return text
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: JSONNode
    var codingPath: [any CodingKey]

    private func set(_ literal: String, _ key: Key) {
        node.set(key.stringValue, JSONNode(literal: literal))
    }

    mutating func encodeNil(forKey key: Key) throws { set("null", key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(value ? "true" : "false", key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(TreeEncoder.quoted(value), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(String(value), key) }

    mutating func encode(_ value: some Encodable, forKey key: Key) throws {
        node.set(key.stringValue, try TreeEncoder.node(for: value, at: codingPath + [key]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let nested = node.member(key.stringValue) {
            let object = JSONNode()
            object.members = []
            return object
        }
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(node: nested, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = node.member(key.stringValue) {
            let array = JSONNode()
            array.elements = []
            return array
        }
        return UnkeyedContainer(node: nested, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        TreeEncoder(node: node.member("super", JSONNode.init), codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        TreeEncoder(node: node.member(key.stringValue, JSONNode.init), codingPath: codingPath + [key])
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let node: JSONNode
    var codingPath: [any CodingKey]
    var count: Int { node.elements?.count ?? 0 }

    private func append(_ element: JSONNode) {
        node.elements?.append(element)
    }

    mutating func encodeNil() throws { append(JSONNode(literal: "null")) }
    mutating func encode(_ value: Bool) throws { append(JSONNode(literal: value ? "true" : "false")) }
    mutating func encode(_ value: String) throws { append(JSONNode(literal: TreeEncoder.quoted(value))) }
    mutating func encode(_ value: Int) throws { append(JSONNode(literal: String(value))) }

    mutating func encode(_ value: some Encodable) throws {
        append(try TreeEncoder.node(for: value, at: codingPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        let object = JSONNode()
        object.members = []
        append(object)
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(node: object, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let array = JSONNode()
        array.elements = []
        append(array)
        return UnkeyedContainer(node: array, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder {
        let element = JSONNode()
        append(element)
        return TreeEncoder(node: element, codingPath: codingPath)
    }
}

private struct SingleValueContainer: SingleValueEncodingContainer {
    let node: JSONNode
    var codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.literal = "null" }
    mutating func encode(_ value: Bool) throws { node.literal = value ? "true" : "false" }
    mutating func encode(_ value: String) throws { node.literal = TreeEncoder.quoted(value) }
    mutating func encode(_ value: Int) throws { node.literal = String(value) }

    mutating func encode(_ value: some Encodable) throws {
        let encoded = try TreeEncoder.node(for: value, at: codingPath)
        node.literal = encoded.literal
        node.members = encoded.members
        node.elements = encoded.elements
    }
}
