/// A configuration value that stops the start, with the environment variable it came from.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    /// The environment variable (or `.env` key) at fault.
    public let key: String
    /// What is wrong with it and what would be right.
    public let message: String

    /// Creates an error about one key.
    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    public var description: String {
        "invalid configuration: \(self.key): \(self.message)"
    }
}
