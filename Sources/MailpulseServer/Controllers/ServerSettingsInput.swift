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
    /// Where mail is sent from, when not the IMAP host's port 587 (Gmail: smtp.gmail.com, 465, TLS).
    var smtp: SubmissionInput?

    /// The `smtp` object: a submission server, and its own user name and password if they are not the IMAP ones.
    struct SubmissionInput: Decodable {
        var host: String?
        var port: Int?
        var security: String?
        var username: String?
        var password: String?
    }

    /// Gmail's server, for `"provider":"gmail"`.
    static let gmail = (host: "imap.gmail.com", port: 993, security: ConnectionSecurity.tls)
    /// Gmail's submission server.
    static let gmailSubmission = SubmissionServer(host: "smtp.gmail.com", port: 465, security: .tls)

    /// The credentials these settings give, missing fields taken from `known` (a relink), then from the kind's
    /// defaults (Gmail's server; TLS; port 993, or 143 without TLS). Throws a 400 that names the field.
    func credentials(for kind: MailProviderKind, known: ServerCredentials? = nil) throws -> ServerCredentials {
        let security =
            try Self.security(self.security, field: "imap.security") ?? known?.security ?? (kind == .gmail ? Self.gmail.security : .tls)
        guard let host = self.host ?? known?.host ?? (kind == .gmail ? Self.gmail.host : nil) else {
            throw HTTPError(.badRequest, message: "imap.host is required: the IMAP server's name, such as imap.example.com")
        }
        try Self.checkHost(host, field: "imap.host")
        let port = self.port ?? known?.port ?? (security == .tls ? 993 : 143)
        try Self.checkPort(port, field: "imap.port")
        guard let username = self.username ?? known?.username else {
            throw HTTPError(.badRequest, message: "imap.username is required: 1 to 320 characters, no control characters")
        }
        try Self.checkUsername(username, field: "imap.username")
        guard let password = self.password ?? known?.password else {
            throw HTTPError(.badRequest, message: "imap.password is required: 1 to 1024 bytes, no line breaks")
        }
        try Self.checkPassword(password, field: "imap.password")
        let smtp = try self.smtp.map { try $0.server(defaultHost: host) } ?? known?.smtp ?? (kind == .gmail ? Self.gmailSubmission : nil)
        return ServerCredentials(host: host, port: port, security: security, username: username, password: password, smtp: smtp)
    }

    private static let hostCharacters: Set<Unicode.Scalar> = Set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]".unicodeScalars
    )
}

extension ServerSettingsInput.SubmissionInput {
    /// The submission server these settings give: the IMAP host unless another is named, STARTTLS on 587 by default,
    /// 465 with TLS. Throws a 400 that names the field.
    func server(defaultHost: String) throws -> SubmissionServer {
        let security = try ServerSettingsInput.security(self.security, field: "imap.smtp.security") ?? .starttls
        let host = self.host ?? defaultHost
        try ServerSettingsInput.checkHost(host, field: "imap.smtp.host")
        let port = self.port ?? (security == .tls ? 465 : 587)
        try ServerSettingsInput.checkPort(port, field: "imap.smtp.port")
        if let username = self.username { try ServerSettingsInput.checkUsername(username, field: "imap.smtp.username") }
        if let password = self.password { try ServerSettingsInput.checkPassword(password, field: "imap.smtp.password") }
        return SubmissionServer(host: host, port: port, security: security, username: self.username, password: self.password)
    }
}

extension ServerSettingsInput {
    /// A protection named in `text`, or `nil` without one.
    static func security(_ text: String?, field: String) throws -> ConnectionSecurity? {
        guard let text else { return nil }
        guard let chosen = ConnectionSecurity(rawValue: text) else {
            throw HTTPError(.badRequest, message: "\(field) must be \"tls\", \"starttls\" or \"none\"")
        }
        return chosen
    }

    static func checkHost(_ host: String, field: String) throws {
        guard (1...253).contains(host.utf8.count), host.unicodeScalars.allSatisfy({ Self.hostCharacters.contains($0) }) else {
            throw HTTPError(.badRequest, message: "\(field) must be a host name or IP address (letters, digits, '.', '-', ':', '[', ']')")
        }
    }

    static func checkPort(_ port: Int, field: String) throws {
        guard (1...65_535).contains(port) else { throw HTTPError(.badRequest, message: "\(field) must be between 1 and 65535") }
    }

    static func checkUsername(_ username: String, field: String) throws {
        guard (1...320).contains(username.utf8.count), !username.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw HTTPError(.badRequest, message: "\(field) must be 1 to 320 characters, no control characters")
        }
    }

    static func checkPassword(_ password: String, field: String) throws {
        guard (1...1_024).contains(password.utf8.count),
            !password.unicodeScalars.contains(where: { $0.value == 0 || $0.value == 0x0A || $0.value == 0x0D })
        else { throw HTTPError(.badRequest, message: "\(field) must be 1 to 1024 bytes, no line breaks") }
    }
}
