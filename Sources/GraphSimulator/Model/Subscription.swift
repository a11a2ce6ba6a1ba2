internal import Foundation

/// A change-notification subscription held by the simulator.
struct Subscription: Sendable {
    var id: String
    var mailboxID: String
    var applicationID: String
    var resource: String
    /// The folder the resource is limited to; `nil` for all of the mailbox's messages.
    var folderID: String?
    var changeTypes: Set<String>
    var notificationURL: String
    var lifecycleNotificationURL: String?
    var clientState: String?
    var expiresAt: Date
    var latestSupportedTLSVersion: String
    var immutableIDs: Bool

    func json() -> JSONValue {
        .object([
            ("@odata.context", .string("https://graph.microsoft.com/v1.0/$metadata#subscriptions/$entity")),
            ("id", .string(self.id)),
            ("resource", .string(self.resource)),
            ("applicationId", .string(self.applicationID)),
            ("changeType", .string(["created", "updated", "deleted"].filter(self.changeTypes.contains).joined(separator: ","))),
            ("clientState", self.clientState.map(JSONValue.string) ?? .null),
            ("notificationUrl", .string(self.notificationURL)),
            ("notificationQueryOptions", .null),
            ("lifecycleNotificationUrl", self.lifecycleNotificationURL.map(JSONValue.string) ?? .null),
            ("expirationDateTime", .string(GraphDate.formatPrecise(self.expiresAt))),
            ("creatorId", .string(self.mailboxID)),
            ("includeResourceData", .null),
            ("latestSupportedTlsVersion", .string(self.latestSupportedTLSVersion)),
            ("encryptionCertificate", .null),
            ("encryptionCertificateId", .null),
            ("notificationUrlAppId", .null),
            ("notificationContentType", .null),
        ])
    }
}
