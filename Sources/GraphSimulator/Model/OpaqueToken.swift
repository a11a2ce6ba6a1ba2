internal import Foundation
internal import HTTPTransport
internal import MicrosoftGraph

/// A token the simulator hands out in a link and reads back when the link is followed: its JSON in unpadded base64url,
/// opaque to clients.
protocol OpaqueToken: Codable {}

extension OpaqueToken {
    /// The opaque text form.
    var text: String {
        let encoder = JSONEncoder()
        // Sorted keys: one token always has one text, so links are deterministic.
        encoder.outputFormatting = .sortedKeys
        return Base64URL.encode((try? encoder.encode(self)) ?? Data())
    }

    /// The token a text stands for; `nil` when the text is not one of this kind.
    init?(text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let token = try? JSONDecoder().decode(Self.self, from: data) else { return nil }
        self = token
    }
}
