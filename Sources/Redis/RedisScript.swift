internal import Synchronization

/// A Lua script run with `EVALSHA`, loaded into the server on first use and again after the server forgets it.
public final class RedisScript: Sendable {
    /// The Lua source.
    public let source: String
    private let digest = Mutex<String?>(nil)

    /// Creates a script from its source.
    public init(_ source: String) {
        self.source = source
    }

    var loadedDigest: String? {
        get { self.digest.withLock { $0 } }
        set { self.digest.withLock { $0 = newValue } }
    }
}
