internal import Foundation

/// How a simulator presents itself: its app registration and token lifetimes.
public struct SimulatorConfiguration: Sendable {
    /// The registered application (client) id; authorize and token requests must name it.
    public var clientID = "11111111-2222-3333-4444-555555555555"
    /// The registered redirect URIs. Loopback URIs match whatever their port, as Entra matches them.
    public var redirectURIs = ["http://127.0.0.1:8080/oauth/callback", "http://localhost:8080/oauth/callback"]
    /// Access-token lifetime in seconds.
    public var accessTokenLifetime = 3599
    /// The largest `Prefer: odata.maxpagesize` honoured.
    public var maximumPageSize = 1000
    /// The tenant id put in notifications.
    public var tenantID = "9188040d-6c67-4c5b-b112-36a304b66dad"
    /// How many times a failed notification delivery is retried.
    public var deliveryRetries = 5
    /// The first retry delay; each further retry doubles it.
    public var deliveryRetryDelay = Duration.seconds(1)

    /// The defaults.
    public init() {}

    /// Whether a redirect URI is registered (loopback ports are ignored, paths are case-sensitive).
    func isRegistered(redirectURI: String) -> Bool {
        func normalized(_ uri: String) -> String {
            guard var components = URLComponentsLite(uri), ["localhost", "127.0.0.1"].contains(components.host) else { return uri }
            components.port = nil
            return components.text
        }
        let candidate = normalized(redirectURI)
        return self.redirectURIs.contains { normalized($0) == candidate }
    }
}

/// Just enough URL parsing to compare redirect URIs without their loopback port.
private struct URLComponentsLite {
    var scheme: String
    var host: String
    var port: String?
    var rest: String

    init?(_ text: String) {
        guard let schemeEnd = text.range(of: "://") else { return nil }
        self.scheme = String(text[..<schemeEnd.lowerBound])
        let afterScheme = text[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        self.rest = String(afterScheme[authorityEnd...])
        if let colon = authority.lastIndex(of: ":") {
            self.host = String(authority[..<colon])
            self.port = String(authority[authority.index(after: colon)...])
        } else {
            self.host = String(authority)
        }
    }

    var text: String {
        "\(self.scheme)://\(self.host)\(self.port.map { ":\($0)" } ?? "")\(self.rest.isEmpty ? "/" : self.rest)"
    }
}
