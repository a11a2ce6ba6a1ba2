/// One response from the server, as the parser reads it.
public enum IMAPResponse: Sendable, Equatable {
    /// The end of a command: its tag, how it went, a response code and text.
    case tagged(tag: String, IMAPStatus)
    /// Data or a status the server sends on its own or for a command in progress.
    case untagged(UntaggedResponse)
    /// `+ …`: the server waits for the rest of a command (a literal, an AUTHENTICATE step, DONE after IDLE).
    case continuation(String)
}
