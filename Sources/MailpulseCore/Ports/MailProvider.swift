/// A mail provider as a whole (Outlook through Graph, IMAP servers): it reads mail, opens and sends messages, signs
/// people in through a redirect, and pushes changes through webhook subscriptions. Each part of the engine asks only
/// for the job it needs (``MailReader``, ``MailOpener``, ``MailSender``, ``RedirectSignIn``, ``WebhookPush``), so a
/// provider that signs in with a password or pushes over a long-lived connection fits beside this one.
public typealias MailProvider = MailReader & MailOpener & MailSender & RedirectSignIn & WebhookPush
