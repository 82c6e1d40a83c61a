extension JSONParser {
    /// Parses a number per the RFC 8259 grammar into an IEEE-754 double; overflow to infinity is an error.
    mutating func parseNumber() throws(CanonicalJSONError) {
        let start = pos
        var end = pos
        func isDigit(_ index: Int) -> Bool {
            index < input.count && input[index] >= UInt8(ascii: "0") && input[index] <= UInt8(ascii: "9")
        }
        func isByte(_ index: Int, _ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Bool {
            index < input.count && (input[index] == UInt8(ascii: a) || input[index] == UInt8(ascii: b))
        }
        let negative = input[end] == UInt8(ascii: "-")
        if negative { end += 1 }
        guard isDigit(end) else { throw CanonicalJSONError(.invalidNumber, at: start) }
        if input[end] == UInt8(ascii: "0") {
            end += 1
        } else {
            while isDigit(end) { end += 1 }
        }
        let integerDigits = end - start - (negative ? 1 : 0)
        var isInteger = true
        if isByte(end, ".", ".") {
            end += 1
            guard isDigit(end) else { throw CanonicalJSONError(.invalidNumber, at: start) }
            while isDigit(end) { end += 1 }
            isInteger = false
        }
        if isByte(end, "e", "E") {
            end += 1
            if isByte(end, "+", "-") { end += 1 }
            guard isDigit(end) else { throw CanonicalJSONError(.invalidNumber, at: start) }
            while isDigit(end) { end += 1 }
            isInteger = false
        }
        if isDigit(end) || isByte(end, ".", "e") || isByte(end, "E", "+") || isByte(end, "-", "-") {
            throw CanonicalJSONError(.invalidNumber, at: start)
        }
        pos = end

        let value: Double
        if isInteger && integerDigits <= 15 {
            var magnitude = 0
            for byte in input[(negative ? start + 1 : start)..<end] {
                magnitude = magnitude * 10 + Int(byte - UInt8(ascii: "0"))
            }
            value = negative ? -Double(magnitude) : Double(magnitude)
        } else {
            let text = String(decoding: UnsafeBufferPointer(rebasing: input[start..<end]), as: UTF8.self)
            guard let parsed = Double(text) else { throw CanonicalJSONError(.invalidNumber, at: start) }
            value = parsed
        }
        guard value.isFinite else { throw CanonicalJSONError(.numberOutOfRange, at: start) }
        nodes.append(JSONNode(kind: .number, a: numbers.count, b: 0))
        numbers.append(value)
    }

    /// Appends `value` as ECMAScript Number::toString renders it (RFC 8785 §3.2.2.3).
    static func appendNumber(_ value: Double, to out: inout [UInt8]) {
        if value == 0 {
            out.append(UInt8(ascii: "0"))
            return
        }
        if value < 0 { out.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        if magnitude < 0x1p53 && magnitude == magnitude.rounded(.towardZero) {
            appendDecimal(UInt64(magnitude), to: &out)
            return
        }
        // Shortest round-trip digits from Swift, re-laid out: value = 0.d1d2...dk × 10^n.
        var digits: [UInt8] = []
        digits.reserveCapacity(20)
        var pointIndex: Int?
        var exponent = 0
        var exponentSign = 1
        var inExponent = false
        for byte in magnitude.description.utf8 {
            switch byte {
            case UInt8(ascii: "."): pointIndex = digits.count
            case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
            case UInt8(ascii: "-"): exponentSign = -1
            case UInt8(ascii: "+"): break
            default:
                if inExponent {
                    exponent = exponent * 10 + Int(byte - UInt8(ascii: "0"))
                } else {
                    digits.append(byte)
                }
            }
        }
        var n = (pointIndex ?? digits.count) + exponentSign * exponent
        var first = 0
        while digits[first] == UInt8(ascii: "0") {
            first += 1
            n -= 1
        }
        var last = digits.count
        while digits[last - 1] == UInt8(ascii: "0") { last -= 1 }
        let significant = digits[first..<last]
        let k = significant.count

        if k <= n && n <= 21 {
            out.append(contentsOf: significant)
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: n - k))
        } else if 0 < n && n <= 21 {
            out.append(contentsOf: significant.prefix(n))
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: significant.dropFirst(n))
        } else if -6 < n && n <= 0 {
            out.append(contentsOf: "0.".utf8)
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -n))
            out.append(contentsOf: significant)
        } else {
            out.append(significant[significant.startIndex])
            if k > 1 {
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: significant.dropFirst())
            }
            out.append(UInt8(ascii: "e"))
            out.append(n - 1 >= 0 ? UInt8(ascii: "+") : UInt8(ascii: "-"))
            appendDecimal(UInt64((n - 1).magnitude), to: &out)
        }
    }

    private static func appendDecimal(_ value: UInt64, to out: inout [UInt8]) {
        var divisor: UInt64 = 1
        while value / divisor >= 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            out.append(UInt8(rest / divisor) + UInt8(ascii: "0"))
            rest %= divisor
            divisor /= 10
        }
    }
}
