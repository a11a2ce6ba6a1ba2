internal import Foundation
internal import Hummingbird
internal import MailpulseCore

/// An account as the API shows it: status and identity, never tokens.
struct AccountDTO: ResponseEncodable {
    struct Identity: Encodable {
        var id: String
        var displayName: String
        var address: String
    }

    var id: String
    var provider: String
    var status: String
    var identity: Identity?
    var createdAt: Date
    var updatedAt: Date
    var lastSyncedAt: Date?

    init(_ account: Account) {
        self.id = account.id.description
        self.provider = account.provider.rawValue
        self.status = account.status.rawValue
        self.identity = account.identity.map { Identity(id: $0.providerUserID, displayName: $0.displayName, address: $0.address) }
        self.createdAt = account.createdAt
        self.updatedAt = account.updatedAt
        self.lastSyncedAt = account.lastSyncedAt
    }
}

/// `POST /api/accounts` input.
struct CreateAccountRequest: Decodable {
    var provider: String
    var callbackUrl: String?
    /// The server and credentials of an account that signs in with a password.
    var imap: ServerSettingsInput?
}

/// `POST /api/accounts/{id}/relink` input (optional).
struct RelinkRequest: Decodable {
    var callbackUrl: String?
    /// New credentials (the password, at least) of an account that signs in with a password.
    var imap: ServerSettingsInput?
}

/// `POST /api/accounts` answer: the token is shown this once. With an admin key, `loginUrl` is the one-time
/// `startUrl` for the user's browser.
struct CreatedAccount: ResponseEncodable {
    var id: String
    /// Where the browser signs in; none for an account linked with a password.
    var loginUrl: String?
    var token: String
    var startUrl: String?
    /// The account's status: `pending` until the sign-in, `linked` at once for a password.
    var status: String
}

/// `POST /api/accounts/{id}/relink` answer.
struct LoginLink: ResponseEncodable {
    var loginUrl: String
    var startUrl: String?
}

/// What a backend's one-time start URL stands for, kept single-use in Redis until a browser opens it.
struct LoginStart: Codable {
    var account: String
    var loginUrl: String
    var nonce: String
}

/// What a sign-in's `state` stands for, kept single-use in Redis until the callback.
struct PendingLogin: Codable {
    var account: String
    var verifier: String
    var callbackUrl: String
    /// The digest of the browser binding's nonce (``LoginBinding``).
    var binding: String
}
