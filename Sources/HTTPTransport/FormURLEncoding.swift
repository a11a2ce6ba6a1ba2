internal import Foundation

/// `application/x-www-form-urlencoded` encoding, also right for query strings: every byte but the unreserved
/// characters (letters, digits, `-._~`) is percent-encoded, so `+`, `&` and `=` in values survive.
public enum FormURLEncoding {
    private static let unreserved: CharacterSet = {
        var set = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        set.insert(charactersIn: "-._~")
        return set
    }()

    /// One value, percent-encoded.
    public static func escape(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? ""
    }

    /// Name-value pairs joined with `&`.
    public static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&")
    }
}
