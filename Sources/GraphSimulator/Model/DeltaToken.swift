internal import Foundation

/// What a `$deltatoken` stands for: a folder, the change sequence its round started at, and the round's `$select`.
struct DeltaToken: Sendable, Codable {
    var folderID: String
    var sequence: Int
    var generation: Int
    var select: [String]?

    /// The opaque text form.
    var text: String {
        let data = (try? JSONEncoder().encode(self)) ?? Data()
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    init(folderID: String, sequence: Int, generation: Int, select: [String]?) {
        self.folderID = folderID
        self.sequence = sequence
        self.generation = generation
        self.select = select
    }

    init?(text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let token = try? JSONDecoder().decode(DeltaToken.self, from: data) else { return nil }
        self = token
    }
}
