internal import Hummingbird
internal import MailpulseCore

/// The `imap` object of `POST /api/accounts` and of a relink: where an IMAP server is and who signs in. Every field
/// is checked before anything is sent anywhere; a relink may give only what changed (the password, usually).
struct ServerSettingsInput: Decodable {
    var host: String?
    var port: Int?
    var security: String?
    var username: String?
    var password: String?

    /// Gmail's server, for `"provider":"gmail"`.
    static let gmail = (host: "imap.gmail.com", port: 993, security: ConnectionSecurity.tls)

    /// The credentials these settings give, missing fields taken from `known` (a relink), then from the kind's
    /// defaults (Gmail's server; TLS; port 993, or 143 without TLS). Throws a 400 that names the field.
    func credentials(for kind: MailProviderKind, known: ServerCredentials? = nil) throws -> ServerCredentials {
        let security: ConnectionSecurity
        if let text = self.security {
            guard let chosen = ConnectionSecurity(rawValue: text) else {
                throw HTTPError(.badRequest, message: "imap.security must be \"tls\", \"starttls\" or \"none\"")
            }
            security = chosen
        } else {
            security = known?.security ?? (kind == .gmail ? Self.gmail.security : .tls)
        }
        guard let host = self.host ?? known?.host ?? (kind == .gmail ? Self.gmail.host : nil) else {
            throw HTTPError(.badRequest, message: "imap.host is required: the IMAP server's name, such as imap.example.com")
        }
        guard (1...253).contains(host.utf8.count), host.unicodeScalars.allSatisfy({ Self.hostCharacters.contains($0) }) else {
            throw HTTPError(.badRequest, message: "imap.host must be a host name or IP address (letters, digits, '.', '-', ':', '[', ']')")
        }
        let port = self.port ?? known?.port ?? (security == .tls ? 993 : 143)
        guard (1...65_535).contains(port) else { throw HTTPError(.badRequest, message: "imap.port must be between 1 and 65535") }
        guard let username = self.username ?? known?.username, (1...320).contains(username.utf8.count),
            !username.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else {
            throw HTTPError(.badRequest, message: "imap.username is required: 1 to 320 characters, no control characters")
        }
        guard let password = self.password ?? known?.password, (1...1_024).contains(password.utf8.count),
            !password.unicodeScalars.contains(where: { $0.value == 0 || $0.value == 0x0A || $0.value == 0x0D })
        else {
            throw HTTPError(.badRequest, message: "imap.password is required: 1 to 1024 bytes, no line breaks")
        }
        return ServerCredentials(host: host, port: port, security: security, username: username, password: password)
    }

    private static let hostCharacters: Set<Unicode.Scalar> = Set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]".unicodeScalars
    )
}
