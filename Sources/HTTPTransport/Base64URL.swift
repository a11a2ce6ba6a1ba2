public import Foundation

/// Base64 with the URL alphabet and no padding (RFC 4648 §5): tokens, PKCE challenges, JWT segments.
public enum Base64URL {
    /// The encoded form of `data`.
    public static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// `bytes` random bytes from the system's secure generator, encoded.
    public static func randomToken(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return Self.encode(Data((0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }))
    }
}
