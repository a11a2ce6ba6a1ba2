public import Foundation

/// A file to send with a message.
public struct OutgoingAttachment: Sendable, Equatable {
    /// The file name.
    public var name: String
    /// The MIME type.
    public var contentType: String
    /// The content.
    public var bytes: Data

    /// Creates an attachment to send.
    public init(name: String, contentType: String, bytes: Data) {
        self.name = name
        self.contentType = contentType
        self.bytes = bytes
    }
}
