import TestSupport

/// Random valid requests with their expected arguments, written as multibulk or as inline lines.
struct RequestGenerator {
    var random: SplitMix64

    /// A random request: its arguments and one valid wire form of them.
    mutating func request() -> (arguments: [[UInt8]], wire: [UInt8]) {
        if random.oneIn(2) {
            let arguments = (0..<count()).map { _ in binaryArgument() }
            return (arguments, Self.multibulk(arguments))
        }
        let arguments = (0..<count()).map { _ in inlineArgument() }
        return (arguments, inline(arguments))
    }

    /// `*n\r\n` followed by `$len\r\n<bytes>\r\n` for each argument.
    static func multibulk(_ arguments: [[UInt8]]) -> [UInt8] {
        var wire = Array("*\(arguments.count)\r\n".utf8)
        for argument in arguments {
            wire += Array("$\(argument.count)\r\n".utf8) + argument + [13, 10]
        }
        return wire
    }

    /// One inline line: each argument plain, double- or single-quoted, separated by random whitespace.
    mutating func inline(_ arguments: [[UInt8]]) -> [UInt8] {
        var line: [UInt8] = random.pick([[], [], [32], [9, 32]])
        for (index, argument) in arguments.enumerated() {
            if index > 0 { line += separator() }
            line += quote(argument, first: index == 0 && line.isEmpty)
        }
        if random.below(4) == 0 { line += separator() }
        return line + random.pick([[13, 10], [10]])
    }

    private mutating func count() -> Int {
        random.below(10) == 0 ? random.within(1...40) : random.within(1...5)
    }

    private mutating func length() -> Int {
        random.oneIn(40) ? random.within(0...500) : random.within(0...12)
    }

    /// Bytes that matter to quoting, escaping and framing.
    private static let special: [UInt8] = Array(" \t\r\n\u{0B}\u{0C}\"'\\*$x0".utf8) + [0, 0x07, 0x08, 0x80, 0xFF]

    private mutating func binaryArgument() -> [UInt8] {
        (0..<length()).map { _ in random.byte() }
    }

    /// Mostly letters, with the bytes that matter to quoting mixed in.
    private mutating func inlineArgument() -> [UInt8] {
        return (0..<length()).map { _ in
            random.below(4) == 0 ? random.pick(Self.special) : UInt8(random.within(0x21...0x7E))
        }
    }

    private mutating func separator() -> [UInt8] {
        [random.pick([32, 9])] + (0..<random.within(0...2)).map { _ in random.pick([32, 9, 11, 12, 13]) }
    }

    private mutating func quote(_ argument: [UInt8], first: Bool) -> [UInt8] {
        let plain =
            !argument.isEmpty && !(first && argument[0] == UInt8(ascii: "*"))
            && !argument.contains { Self.isSpace($0) || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") }
        let singleQuotable = !argument.contains(10) && argument.last != UInt8(ascii: "\\")
        switch random.below(3) {
        case 0 where plain: return argument
        case 1 where singleQuotable: return singleQuoted(argument)
        default: return doubleQuoted(argument)
        }
    }

    private func singleQuoted(_ argument: [UInt8]) -> [UInt8] {
        [39] + argument.flatMap { $0 == 39 ? [92, 39] : [$0] } + [39]
    }

    private mutating func doubleQuoted(_ argument: [UInt8]) -> [UInt8] {
        let named: [UInt8: UInt8] = [10: 110, 13: 114, 9: 116, 8: 98, 7: 97, 34: 34, 92: 92]
        var quoted: [UInt8] = [34]
        for byte in argument {
            if byte >= 0x20 && byte < 0x7F && byte != 34 && byte != 92 && random.oneIn(2) {
                quoted.append(byte)
            } else if let escape = named[byte], random.oneIn(2) {
                quoted += [92, escape]
            } else if byte != 10 && byte != 34 && byte != 92 && random.oneIn(2) {
                quoted.append(byte)
            } else {
                let hex = Array("0123456789abcdefABCDEF".utf8)
                quoted += [
                    92, 120, hex[Int(byte >> 4)], hex[Int(byte & 15) + (byte & 15 > 9 && random.oneIn(2) ? 6 : 0)],
                ]
            }
        }
        return quoted + [34]
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 32 || (byte >= 9 && byte <= 13)
    }
}
