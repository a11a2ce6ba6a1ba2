public import Foundation

/// The bytes of one attachment, with its name and type: one read from a message, or one to send.
public struct AttachmentData: Sendable, Equatable {
    /// The file name.
    public var name: String
    /// The MIME type the sender gave.
    public var contentType: String
    /// The content.
    public var bytes: Data

    /// Creates attachment bytes.
    public init(name: String, contentType: String, bytes: Data) {
        self.name = name
        self.contentType = contentType
        self.bytes = bytes
    }
}
