internal import MailpulseCore
internal import Redis
internal import SyncEngine

/// What a person reads about a failure in the account's activity: a sentence of what happened and what follows,
/// never an internal error's text (which may name hosts, keys or provider messages; that goes to the log).
enum ProblemSentence {
    static func of(_ error: any Error) -> String {
        switch error {
        case MailProviderError.reauthRequired, MailProviderError.unauthorized:
            "Outlook no longer accepts this link: sign in again to resume."
        case MailProviderError.throttled:
            "Outlook asked us to slow down; the work resumes by itself."
        case MailProviderError.cursorExpired:
            "Outlook's sync position expired; the folders are read again."
        case is MailProviderError:
            "Outlook did not answer as expected; it is tried again shortly."
        case is MailStoreError:
            "The mirror's store could not be written; it is tried again shortly."
        case is RedisError:
            "The service's coordination store (Redis) is unreachable; it is tried again shortly."
        case is LockedWork.LockLost:
            "Another node took over this account's sync."
        default:
            "An internal error stopped the work; it is tried again shortly."
        }
    }
}
