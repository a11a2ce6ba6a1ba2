internal import Hummingbird
internal import NIOCore
internal import Synchronization

/// Why this service refused WebSocket upgrades, by connection, until the refusal is written.
///
/// hummingbird-websocket answers every refused upgrade with the same empty 400. The live socket's checks record
/// their status and message here, and ``UpgradeRefusalHandler`` writes them into that answer instead, so a refused
/// socket gets the JSON error every other route gives (400 for a bad `since`, 403 for another site's page, 429
/// over the socket limit).
final class UpgradeRefusals: Sendable {
    struct Refusal: Sendable {
        var status: HTTPResponse.Status
        var message: String
    }

    private struct Entry {
        weak var channel: (any Channel)?
        var refusal: Refusal
    }

    private let entries = Mutex<[ObjectIdentifier: Entry]>([:])

    /// Records the refusal of the upgrade asked for on `channel`.
    func record(_ refusal: Refusal, for channel: any Channel) {
        self.entries.withLock { entries in
            // Entries of connections that went away before their answer was written are dropped here.
            entries = entries.filter { $0.value.channel != nil }
            entries[ObjectIdentifier(channel)] = Entry(channel: channel, refusal: refusal)
        }
    }

    /// Takes the refusal recorded for `channel`, if any.
    func take(for channel: any Channel) -> Refusal? {
        self.entries.withLock { entries in
            guard let entry = entries.removeValue(forKey: ObjectIdentifier(channel)), entry.channel === channel else { return nil }
            return entry.refusal
        }
    }
}
