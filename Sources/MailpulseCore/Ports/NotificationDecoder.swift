public import Foundation

/// Reads a provider's webhook deliveries (its JSON, its lifecycle events) into the engine's terms, so the server
/// that receives them knows no provider's format.
public protocol NotificationDecoder: Sendable {
    /// The notifications of a delivery's body; `nil` when the body is not a delivery at all.
    func decode(_ body: Data) -> NotificationBatch?
}
