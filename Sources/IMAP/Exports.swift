// Callers name IMAPSecurity's and IMAPTrustRoots' cases, which MailTransport declares.
@_exported public import MailTransport
