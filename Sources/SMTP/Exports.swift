// Callers name MailSecurity's and MailTrustRoots' cases, which MailTransport declares.
@_exported public import MailTransport
