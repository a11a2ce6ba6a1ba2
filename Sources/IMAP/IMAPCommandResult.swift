/// What a command brought back: the untagged responses sent while it ran, and its tagged ending (OK).
public struct IMAPCommandResult: Sendable, Equatable {
    /// The untagged responses, in order.
    public var untagged: [UntaggedResponse]
    /// The tagged OK that ended it.
    public var status: IMAPStatus
}
