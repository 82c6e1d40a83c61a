/// A benchmark that could not run or measure: the message says what was wrong.
public struct BenchmarkError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
