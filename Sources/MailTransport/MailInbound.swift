internal import NIOCore

/// What the channel hands to the task reading a connection: bytes from the server, or word that the TLS handshake
/// completed (so what follows is protected).
enum MailInbound: Sendable {
    /// Bytes as received (decrypted, under TLS).
    case bytes(ByteBuffer)
    /// The TLS handshake completed and the server's certificate was verified.
    case tlsEstablished
}
