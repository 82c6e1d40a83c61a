/// The ASCII bytes that frame RESP and inline commands.
extension UInt8 {
    static var carriageReturn: UInt8 { UInt8(ascii: "\r") }
    static var lineFeed: UInt8 { UInt8(ascii: "\n") }
    static var tab: UInt8 { UInt8(ascii: "\t") }
    static var space: UInt8 { UInt8(ascii: " ") }
    static var doubleQuote: UInt8 { UInt8(ascii: "\"") }
    static var singleQuote: UInt8 { UInt8(ascii: "'") }
    static var backslash: UInt8 { UInt8(ascii: "\\") }
    static var asterisk: UInt8 { UInt8(ascii: "*") }
    static var dollar: UInt8 { UInt8(ascii: "$") }
    static var minus: UInt8 { UInt8(ascii: "-") }
    static var digitZero: UInt8 { UInt8(ascii: "0") }
    static var digitNine: UInt8 { UInt8(ascii: "9") }
}
