import NIOCore

/// A command name word of 1 to 16 ASCII bytes other than NUL, uppercased and packed into two
/// integers: a key that is read straight from a request's bytes, without making a string.
struct PackedWord: Equatable, Sendable {
    private var low: UInt64 = 0
    private var high: UInt64 = 0

    /// Nil for a word that does not pack: empty, longer than 16 bytes, or not ASCII without NUL.
    init?(_ bytes: UnsafeRawBufferPointer) {
        guard (1...16).contains(bytes.count) else { return nil }
        for (offset, byte) in bytes.enumerated() {
            guard byte != 0, byte < 0x80 else { return nil }
            let upper = UInt64(byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 0x20 : byte)
            if offset < 8 {
                low |= upper << (offset * 8)
            } else {
                high |= upper << ((offset - 8) * 8)
            }
        }
    }

    /// The word `text` spells; nil as for bytes.
    init?(_ text: String) {
        var text = text
        guard let word = text.withUTF8({ PackedWord(UnsafeRawBufferPointer($0)) }) else { return nil }
        self = word
    }

    fileprivate init() {}

    fileprivate var isEmpty: Bool { low == 0 && high == 0 }

    /// A well-mixed hash in the top `bits` bits.
    fileprivate func slot(bits: Int) -> Int {
        let mixed = ((low &* 0x9E37_79B9_7F4A_7C15) ^ high) &* 0xC2B2_AE3D_27D4_EB4F
        return Int(truncatingIfNeeded: mixed >> UInt64(64 - bits))
    }
}

/// The command table's first words, found from a request's bytes in any letter case.
///
/// Words that pack (every first word so far) sit in an open-addressing table that a lookup reaches
/// without making or hashing a string: this runs for every request. Other words are kept by their
/// uppercase string.
struct FirstWordIndex: Sendable {
    typealias Value = CommandTable.FirstWord

    private struct Slot: Sendable {
        var word = PackedWord()
        var value: Value?
    }

    private let slots: [Slot]
    private let bits: Int
    private let unpacked: [String: Value]

    /// An index of `values`, whose keys are uppercase.
    init(_ values: [String: Value]) {
        var bits = 3
        while 1 << bits < values.count * 4 { bits += 1 }
        var slots = [Slot](repeating: Slot(), count: 1 << bits)
        var unpacked: [String: Value] = [:]
        for (name, value) in values {
            guard let word = PackedWord(name) else {
                unpacked[name] = value
                continue
            }
            var index = word.slot(bits: bits)
            while !slots[index].word.isEmpty { index = (index + 1) & (slots.count - 1) }
            slots[index] = Slot(word: word, value: value)
        }
        self.slots = slots
        self.bits = bits
        self.unpacked = unpacked
    }

    /// The value of the word `bytes` spell, in any letter case.
    subscript(bytes: ByteBuffer) -> Value? {
        guard let word = bytes.withUnsafeReadableBytes(PackedWord.init) else {
            return unpacked.isEmpty ? nil : unpacked[bytes.commandName]
        }
        var index = word.slot(bits: bits)
        while !slots[index].word.isEmpty {
            if slots[index].word == word { return slots[index].value }
            index = (index + 1) & (slots.count - 1)
        }
        return nil
    }
}
