/// Writes an event body as the JSON text `JSONEncoder` writes with sorted keys and unescaped
/// slashes, for the values event bodies hold (objects, arrays, strings, integers, booleans; a
/// fractional number is refused), without Foundation's boxing of every value (`JSONEncoder` took
/// 8 % of the server's CPU under 64 clients sending `ACTIVITY LOG`, most of the decision's time).
/// Its string escaping follows the same rules as `CanonicalJSON`'s in EventLog, which this module
/// does not import.
enum EventJSONEncoder {
    /// `value` as JSON text.
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = TreeEncoder(node: JSONNode())
        try value.encode(to: encoder)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        encoder.node.write(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// One JSON value while it is being encoded: an object or an array stays open for more members
/// until the whole value is written out.
private final class JSONNode {
    /// The members of an object (in the order written; a key written again replaces its value).
    var members: [(key: String, node: JSONNode)]?
    var elements: [JSONNode]?
    /// A string's text, unquoted.
    var string: String?
    /// A number's, a boolean's or null's JSON text.
    var raw: String?

    init() {}

    init(string: String) {
        self.string = string
    }

    init(raw: String) {
        self.raw = raw
    }

    /// Takes what `other` holds (a single value written through a container of its own).
    func take(_ other: JSONNode) {
        (members, elements, string, raw) = (other.members, other.elements, other.string, other.raw)
    }

    func write(into bytes: inout [UInt8]) {
        if let raw {
            bytes.append(contentsOf: raw.utf8)
        } else if let string {
            JSONNode.appendQuoted(string, to: &bytes)
        } else if let elements {
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                element.write(into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        } else {
            bytes.append(UInt8(ascii: "{"))
            let sorted = (members ?? []).sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (index, member) in sorted.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                JSONNode.appendQuoted(member.key, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                member.node.write(into: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// `string` as a JSON string: quotes, backslashes and control characters escaped, as `JSONEncoder` does.
    static func appendQuoted(_ string: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        if string.utf8.contains(where: needsEscape) {
            for byte in string.utf8 {
                if needsEscape(byte) { appendEscaped(byte, to: &bytes) } else { bytes.append(byte) }
            }
        } else {
            bytes.append(contentsOf: string.utf8)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20
    }

    private static func appendEscaped(_ byte: UInt8, to bytes: inout [UInt8]) {
        let short: UInt8? =
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): byte
            case 0x08: UInt8(ascii: "b")
            case 0x09: UInt8(ascii: "t")
            case 0x0A: UInt8(ascii: "n")
            case 0x0C: UInt8(ascii: "f")
            case 0x0D: UInt8(ascii: "r")
            default: nil
            }
        bytes.append(UInt8(ascii: "\\"))
        guard let short else {
            let hex = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: "u00".utf8)
            bytes.append(hex[Int(byte >> 4)])
            bytes.append(hex[Int(byte & 0x0F)])
            return
        }
        bytes.append(short)
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
        case let string as String: return JSONNode(string: string)
        case let number as Int: return JSONNode(raw: String(number))
        case let flag as Bool: return JSONNode(raw: flag ? "true" : "false")
        case let number as any BinaryInteger: return JSONNode(raw: String(describing: number))
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
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: JSONNode
    var codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { node.set(key.stringValue, JSONNode(raw: "null")) }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        node.set(key.stringValue, JSONNode(raw: value ? "true" : "false"))
    }
    mutating func encode(_ value: String, forKey key: Key) throws { node.set(key.stringValue, JSONNode(string: value)) }
    mutating func encode(_ value: Int, forKey key: Key) throws {
        node.set(key.stringValue, JSONNode(raw: String(value)))
    }

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

    mutating func encodeNil() throws { append(JSONNode(raw: "null")) }
    mutating func encode(_ value: Bool) throws { append(JSONNode(raw: value ? "true" : "false")) }
    mutating func encode(_ value: String) throws { append(JSONNode(string: value)) }
    mutating func encode(_ value: Int) throws { append(JSONNode(raw: String(value))) }

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

    mutating func encodeNil() throws { node.raw = "null" }
    mutating func encode(_ value: Bool) throws { node.raw = value ? "true" : "false" }
    mutating func encode(_ value: String) throws { node.string = value }
    mutating func encode(_ value: Int) throws { node.raw = String(value) }

    mutating func encode(_ value: some Encodable) throws {
        node.take(try TreeEncoder.node(for: value, at: codingPath))
    }
}
