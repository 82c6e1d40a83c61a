public import Application
public import NIOCore

/// The arguments of one request after the command name, with typed readers that refuse bad
/// input with `INVALID` naming the field.
public struct CommandArguments: Sendable {
    /// The request the arguments are the end of; shared rather than copied into an array of their own.
    private let request: [ByteBuffer]
    /// Where the arguments start in `request`: after the command's name words.
    private let start: Int

    /// The arguments `values`, in order.
    public init(_ values: [ByteBuffer]) {
        self.init(values, droppingFirst: 0)
    }

    /// The arguments of `request` after its first `count` elements (the command's name words).
    init(_ request: [ByteBuffer], droppingFirst count: Int) {
        self.request = request
        self.start = count
    }

    public var count: Int { request.count - start }
    public var isEmpty: Bool { count == 0 }

    /// Argument `index`'s bytes.
    public subscript(index: Int) -> ByteBuffer { request[start + index] }

    /// Argument `index` as a command or subcommand name, in uppercase (``NIOCore/ByteBuffer/commandName``).
    func name(_ index: Int, field: String) throws(CaselogError) -> String {
        guard index < count else { throw .invalid(field, "is missing") }
        return self[index].commandName
    }

    /// Argument `index` as UTF-8 text.
    public func string(_ index: Int, field: String) throws(CaselogError) -> String {
        guard index < count else { throw .invalid(field, "is missing") }
        let value = self[index]
        guard let text = try? value.getUTF8ValidatedString(at: value.readerIndex, length: value.readableBytes)
        else { throw .invalid(field, "must be UTF-8 text") }
        return text
    }

    /// Argument `index` as a whole number within `range`.
    public func integer(_ index: Int, field: String, in range: ClosedRange<Int64> = 0...Int64.max) throws(CaselogError)
        -> Int64
    {
        let text = try string(index, field: field)
        guard let value = Int64(text), range.contains(value) else {
            throw .invalid(field, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// Reads `FIELD value` pairs from `start` on; names outside `allowed` or repeated are refused.
    /// Names in `flags` stand alone, without a value.
    public func options(from start: Int, allowed: Set<String>, flags: Set<String> = []) throws(CaselogError)
        -> [String: String]
    {
        var options: [String: String] = [:]
        var index = start
        while index < count {
            let name = try string(index, field: "option").uppercased()
            guard allowed.contains(name) || flags.contains(name) else {
                let known = allowed.union(flags).sorted().joined(separator: ", ")
                throw .invalid(name.lowercased(), "unknown option; expected one of \(known)")
            }
            guard options[name] == nil else { throw .invalid(name.lowercased(), "given twice") }
            if flags.contains(name) {
                options[name] = ""
                index += 1
            } else {
                options[name] = try string(index + 1, field: name.lowercased())
                index += 2
            }
        }
        return options
    }
}

extension ByteBuffer {
    /// The readable bytes as a command or subcommand name, in uppercase as the command table has
    /// names. ASCII is uppercased in the pass that makes the string; invalid UTF-8 is replaced rather
    /// than refused (such a name matches no command), which spares the lookup a validation.
    var commandName: String {
        let (name, isASCII) = withUnsafeReadableBytes { bytes in
            var isASCII = true
            let name = String(unsafeUninitializedCapacity: bytes.count) { output in
                for (offset, byte) in bytes.enumerated() {
                    isASCII = isASCII && byte < 0x80
                    output[offset] = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 0x20 : byte
                }
                return bytes.count
            }
            return (name, isASCII)
        }
        return isASCII ? name : name.uppercased()
    }
}
