internal import Crypto
public import Foundation

/// Shared secrets kept as digests and compared without leaking, through timing, how much of a guess matched.
public enum SecretDigest {
    /// The SHA-256 digest of a secret.
    public static func sha256(_ secret: String) -> Data {
        Data(SHA256.hash(data: Data(secret.utf8)))
    }

    /// Compares every byte whatever the first difference, so timing does not reveal how much matched.
    public static func constantTimeEqual(_ lhs: Data, _ rhs: Data) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(lhs, rhs) { difference |= a ^ b }
        return difference == 0
    }
}
