public import MailTransport

/// The certificates an IMAP connection trusts: ``MailTrustRoots``, which SMTP shares.
public typealias IMAPTrustRoots = MailTrustRoots
