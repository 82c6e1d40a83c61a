public import NIOCore

/// Splits a command line into arguments with the rules of Redis' `sdssplitargs` (as redis-cli does).
///
/// Whitespace separates arguments; `"…"` understands `\n \r \t \b \a \\ \" \xHH` (any other escaped
/// byte stands for itself); `'…'` understands only `\'`; a closing quote must be followed by whitespace
/// or the end of the line. Unlike the C original, a NUL byte is an ordinary byte, not the end of the line.
public struct InlineCommandParser {
    /// The arguments of `line`, each in its own `ByteBuffer`; `[]` for a blank line.
    ///
    /// Throws `PROTO unbalanced quotes in request` for an unterminated quote or a closing quote
    /// followed by something other than whitespace. CR and LF count as whitespace.
    public static func split(_ line: some Collection<UInt8>) throws(RESPDecodingError) -> [ByteBuffer] {
        let contiguous = line.withContiguousStorageIfAvailable { bytes in
            Result { () throws(RESPDecodingError) in
                try split(UnsafeRawBufferPointer(bytes), maxArguments: .max)
            }
        }
        if let contiguous { return try contiguous.get() }
        return try split(Array(line))
    }

    /// Splits `line`, throwing `TOOLARGE` once it holds more than `maxArguments` arguments.
    static func split(_ line: UnsafeRawBufferPointer, maxArguments: Int) throws(RESPDecodingError) -> [ByteBuffer] {
        let copy = ByteBuffer(bytes: line)
        return try split(line, maxArguments: maxArguments) { copy.getSlice(at: $0, length: $1)! }
    }

    /// Splits `line`, throwing `TOOLARGE` once it holds more than `maxArguments` arguments.
    ///
    /// A line without quotes needs no unescaping: `slice` makes each argument from its offset and
    /// length in `line`, so a caller that read the line into a buffer gets slices of it, uncopied.
    /// Otherwise all arguments are slices of one buffer of `line.count` bytes: one allocation, no
    /// per-byte growth.
    static func split(
        _ line: UnsafeRawBufferPointer,
        maxArguments: Int,
        slice: (_ offset: Int, _ length: Int) -> ByteBuffer
    ) throws(RESPDecodingError) -> [ByteBuffer] {
        guard line.contains(where: { $0 == .doubleQuote || $0 == .singleQuote }) else {
            return try splitUnquoted(line, maxArguments: maxArguments, slice: slice)
        }
        var arena = ByteBufferAllocator().buffer(capacity: line.count)
        var lengths: [Int] = []
        var failure: RESPDecodingError?
        arena.writeWithUnsafeMutableBytes(minimumWritableBytes: line.count) { output in
            var scanner = Scanner(input: line, output: output)
            failure = scanner.run(maxArguments: maxArguments, lengths: &lengths)
            return scanner.written
        }
        if let failure { throw failure }
        return lengths.map { arena.readSlice(length: $0)! }
    }

    /// The arguments of a line without quotes, where each argument is a run of the line as it stands.
    private static func splitUnquoted(
        _ line: UnsafeRawBufferPointer,
        maxArguments: Int,
        slice: (_ offset: Int, _ length: Int) -> ByteBuffer
    ) throws(RESPDecodingError) -> [ByteBuffer] {
        var arguments: [ByteBuffer] = []
        var position = 0
        while true {
            while position < line.count && isSpace(line[position]) { position += 1 }
            if position == line.count { return arguments }
            guard arguments.count < maxArguments else { throw .tooLarge("request over \(maxArguments) arguments") }
            let start = position
            while position < line.count && !endsArgument(line[position]) { position += 1 }
            arguments.append(slice(start, position - start))
        }
    }

    /// C `isspace`: space, `\t`, `\n`, `\v`, `\f`, `\r`; skipped between arguments.
    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == .space || (byte >= 0x09 && byte <= 0x0D)
    }

    /// Whether `byte` ends an unquoted argument, as `sdssplitargs` has it (`\v` and `\f` do not).
    private static func endsArgument(_ byte: UInt8) -> Bool {
        byte == .space || byte == .lineFeed || byte == .carriageReturn || byte == .tab
    }

    /// One pass over the line, copying unquoted and unescaped argument bytes back to back into `output`.
    private struct Scanner {
        let input: UnsafeRawBufferPointer
        let output: UnsafeMutableRawBufferPointer
        var position = 0
        var written = 0

        init(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer) {
            self.input = input
            self.output = output
        }

        /// Appends each argument's length to `lengths`; returns the error that stopped it, if any.
        mutating func run(maxArguments: Int, lengths: inout [Int]) -> RESPDecodingError? {
            while true {
                while position < input.count && isSpace(input[position]) { position += 1 }
                if position == input.count { return nil }
                guard lengths.count < maxArguments else {
                    return .tooLarge("request over \(maxArguments) arguments")
                }
                let start = written
                guard scanArgument() else { return .unbalancedQuotes }
                lengths.append(written - start)
            }
        }

        /// Scans one argument starting at a non-space byte; false if its quotes are unbalanced.
        private mutating func scanArgument() -> Bool {
            var quote: UInt8 = 0
            while true {
                guard position < input.count else { return quote == 0 }
                let byte = input[position]
                if quote == 0 {
                    if endsArgument(byte) {
                        position += 1
                        return true
                    } else if byte == .doubleQuote || byte == .singleQuote {
                        quote = byte
                        position += 1
                    } else {
                        append(byte, advancingBy: 1)
                    }
                } else if byte == quote {
                    position += 1
                    return position == input.count || isSpace(input[position])
                } else if byte == .backslash && position + 1 < input.count {
                    appendEscape(inDoubleQuotes: quote == .doubleQuote)
                } else {
                    append(byte, advancingBy: 1)
                }
            }
        }

        /// Handles a backslash that has at least one byte after it, inside quotes.
        private mutating func appendEscape(inDoubleQuotes: Bool) {
            let next = input[position + 1]
            guard inDoubleQuotes else {
                if next == .singleQuote {
                    append(.singleQuote, advancingBy: 2)
                } else {
                    append(.backslash, advancingBy: 1)
                }
                return
            }
            if next == UInt8(ascii: "x"), position + 3 < input.count,
                let high = Self.hexValue(input[position + 2]), let low = Self.hexValue(input[position + 3])
            {
                append(high << 4 | low, advancingBy: 4)
                return
            }
            let unescaped: UInt8 =
                switch next {
                case UInt8(ascii: "n"): .lineFeed
                case UInt8(ascii: "r"): .carriageReturn
                case UInt8(ascii: "t"): .tab
                case UInt8(ascii: "b"): 0x08
                case UInt8(ascii: "a"): 0x07
                default: next
                }
            append(unescaped, advancingBy: 2)
        }

        private mutating func append(_ byte: UInt8, advancingBy consumed: Int) {
            output[written] = byte
            written += 1
            position += consumed
        }

        private static func hexValue(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: nil
            }
        }
    }
}
