/// One binary-safe argument of a Redis command.
public struct RedisArgument: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    /// The argument's bytes.
    public let bytes: [UInt8]

    /// Raw bytes.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// UTF-8 text.
    public init(_ text: String) {
        self.bytes = Array(text.utf8)
    }

    /// A decimal integer.
    public init(_ value: some BinaryInteger) {
        self.init(String(value))
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    public init(integerLiteral value: Int) {
        self.init(value)
    }
}
