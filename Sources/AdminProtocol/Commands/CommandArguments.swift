public import NIOCore

/// The arguments of one request after the command name, with typed readers that refuse bad
/// input with `INVALID` naming the field.
public struct CommandArguments: Sendable {
    public let values: [ByteBuffer]

    public init(_ values: [ByteBuffer]) {
        self.values = values
    }

    public var count: Int { values.count }
    public var isEmpty: Bool { values.isEmpty }

    /// Argument `index` as a command or subcommand name: invalid UTF-8 is replaced rather than
    /// refused (such a name matches no command), which spares the name lookup a validation.
    func name(_ index: Int, field: String) throws(CommandError) -> String {
        guard index < values.count else { throw .invalid(field, "is missing") }
        let value = values[index]
        return value.getString(at: value.readerIndex, length: value.readableBytes) ?? ""
    }

    /// Argument `index` as UTF-8 text.
    public func string(_ index: Int, field: String) throws(CommandError) -> String {
        guard index < values.count else { throw .invalid(field, "is missing") }
        let value = values[index]
        guard let text = try? value.getUTF8ValidatedString(at: value.readerIndex, length: value.readableBytes)
        else { throw .invalid(field, "must be UTF-8 text") }
        return text
    }

    /// Argument `index` as a whole number within `range`.
    public func integer(_ index: Int, field: String, in range: ClosedRange<Int64> = 0...Int64.max) throws(CommandError)
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
    public func options(from start: Int, allowed: Set<String>, flags: Set<String> = []) throws(CommandError)
        -> [String: String]
    {
        var options: [String: String] = [:]
        var index = start
        while index < values.count {
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
