/// The service's cookies: HttpOnly, `SameSite=Lax`, for the whole host. Over https they are `Secure` and carry the
/// `__Host-` prefix, which browsers accept only from a secure origin, with `Path=/` and no `Domain`, so no sibling
/// domain can set or shadow them.
struct HostCookie {
    /// The name without its prefix.
    let name: String
    let secure: Bool

    /// The name browsers send back.
    var fullName: String {
        (self.secure ? "__Host-" : "") + self.name
    }

    /// A `Set-Cookie` value that keeps `value` for `maxAge` seconds (0 removes the cookie).
    func setting(_ value: String, maxAge: Int64) -> String {
        "\(self.fullName)=\(value); Path=/; HttpOnly; SameSite=Lax; Max-Age=\(maxAge)\(self.secure ? "; Secure" : "")"
    }
}
