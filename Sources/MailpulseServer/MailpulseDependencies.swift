internal import MailpulseCore
internal import SyncEngine

/// The adapters the routes and services work with, chosen once by ``buildApplication(configuration:logger:)``.
struct MailpulseDependencies: Sendable {
    let store: any MailStore
    let backplane: any Backplane
    let tokenVault: any TokenVault
    let provider: MailProviderRegistry
    let linkObserver: any AccountLinkObserver
    let subscriptions: SubscriptionManager
    /// Signs in accounts of the kinds that sign in with a password (IMAP, Gmail).
    let passwordSignIn: any CredentialSignIn
}
