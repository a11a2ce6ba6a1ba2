/// An error of a ``MailStore``.
public struct MailStoreError: Error, CustomStringConvertible, Equatable {
    private enum Code: Equatable {
        case notFound
        case conflict
        case invalidInput
        case unavailable
    }

    private let code: Code
    /// What went wrong, for people.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The record does not exist.
    public static func notFound(_ message: String) -> MailStoreError { .init(.notFound, message) }
    /// The record exists already.
    public static func conflict(_ message: String) -> MailStoreError { .init(.conflict, message) }
    /// The input breaks a limit or a rule of the store.
    public static func invalidInput(_ message: String) -> MailStoreError { .init(.invalidInput, message) }
    /// The store cannot be reached or used.
    public static func unavailable(_ message: String) -> MailStoreError { .init(.unavailable, message) }

    /// Whether this is a not-found error.
    public var isNotFound: Bool { self.code == .notFound }
    /// Whether this is a conflict error.
    public var isConflict: Bool { self.code == .conflict }
    /// Whether this is an invalid-input error.
    public var isInvalidInput: Bool { self.code == .invalidInput }

    public var description: String {
        "MailStoreError.\(self.code): \(self.message)"
    }

    public static func == (lhs: MailStoreError, rhs: MailStoreError) -> Bool {
        lhs.code == rhs.code
    }
}
