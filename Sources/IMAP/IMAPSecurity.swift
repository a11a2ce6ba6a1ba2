public import MailTransport

/// How a connection to an IMAP server is protected: ``MailSecurity``, which SMTP shares (`.tls` usually on port 993,
/// `.starttls` on port 143).
public typealias IMAPSecurity = MailSecurity
