/// The secret fields of an account document (base64), read apart from the account.
struct AccountSecrets: Decodable {
    var sealedTokens: String?
    var apiTokenHash: String?
}
