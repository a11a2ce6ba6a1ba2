internal import Foundation

/// An http(s) URL read strictly, as a browser would read it, and rebuilt from its checked parts.
///
/// Parsers disagree on odd URLs: Foundation reads `http://evil.example\@localhost/` as a URL of localhost while
/// browsers go to evil.example. So anything a browser might read otherwise is refused outright: characters outside
/// printable ASCII, backslashes, user information (`@` in the authority), a host that is not a DNS name or an
/// address, a port outside 1–65535. What is kept is only what was checked.
struct CheckedURL: Equatable {
    /// The longest URL accepted.
    static let maximumLength = 2048

    /// `http` or `https`, lower-cased.
    let scheme: String
    /// The host, lower-cased (an IPv6 address keeps its brackets).
    let host: String
    /// The port when it is not the scheme's default.
    let port: Int?
    /// Path, query and fragment as given: printable ASCII without backslashes, starting with `/`, `?` or `#`, or empty.
    let rest: String

    init?(_ text: String) {
        guard text.utf8.count <= Self.maximumLength, !text.isEmpty,
            text.utf8.allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "\\") })
        else { return nil }
        guard let separator = text.range(of: "://") else { return nil }
        let scheme = text[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let afterScheme = text[separator.upperBound...]
        let authorityEnd = afterScheme.firstIndex { "/?#".contains($0) } ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        guard !authority.contains("@") else { return nil }
        var host = Substring(authority)
        var port: Int?
        if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
            let digits = authority[authority.index(after: colon)...]
            guard !digits.isEmpty, digits.count <= 5, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let value = Int(digits),
                (1...65535).contains(value)
            else { return nil }
            host = authority[..<colon]
            port = value == (scheme == "https" ? 443 : 80) ? nil : value
        }
        guard Self.isHost(host) else { return nil }
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = port
        self.rest = String(afterScheme[authorityEnd...])
    }

    /// `host[:port]`, as a `Host` header names it.
    var authority: String {
        self.port.map { "\(self.host):\($0)" } ?? self.host
    }

    /// `scheme://host[:port]`.
    var origin: String {
        "\(self.scheme)://\(self.authority)"
    }

    /// The URL rebuilt from its parts.
    var text: String {
        self.origin + self.rest
    }

    /// A DNS name (letters, digits, hyphens and dots, no empty label) or a bracketed IPv6 address.
    private static func isHost(_ host: Substring) -> Bool {
        if host.hasPrefix("[") {
            return host.hasSuffix("]") && host.count > 2 && host.dropFirst().dropLast().allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        return !host.isEmpty && host.count <= 253
            && labels.allSatisfy { label in
                !label.isEmpty && label.count <= 63 && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            }
    }
}
