/// A reply from Redis (RESP2), converted from hiredis' reply object as soon as it arrives.
public enum RedisValue: Sendable, Equatable {
    /// A status reply such as `OK`.
    case simpleString(String)
    /// An error reply nested in an array (a top-level error is thrown as ``RedisError``).
    case error(String)
    /// An integer reply.
    case integer(Int64)
    /// A binary-safe string.
    case bulkString([UInt8])
    /// The nil reply.
    case null
    /// An array reply.
    case array([RedisValue])

    /// The value as text, for simple and bulk strings (integers are rendered); `nil` otherwise.
    public var string: String? {
        switch self {
        case .simpleString(let text): text
        case .bulkString(let bytes): String(decoding: bytes, as: UTF8.self)
        case .integer(let value): String(value)
        default: nil
        }
    }

    /// The value as an integer, for integers and numeric strings; `nil` otherwise.
    public var integer: Int64? {
        switch self {
        case .integer(let value): value
        case .bulkString, .simpleString: self.string.flatMap { Int64($0) }
        default: nil
        }
    }

    /// The elements of an array reply; `nil` otherwise.
    public var array: [RedisValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// Whether this is the nil reply.
    public var isNull: Bool {
        self == .null
    }
}
