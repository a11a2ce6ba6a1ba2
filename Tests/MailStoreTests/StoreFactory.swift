import Foundation
import MailpulseCore
import SQLiteStore
import TestSupport
import Testing

/// Makes empty stores of one kind for the contract suite; every ``MailStore`` implementation adds a factory here.
struct StoreFactory: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable () async throws -> any MailStore

    var testDescription: String { self.name }

    static let sqlite = StoreFactory(name: "sqlite") {
        let folder = try TestEnvironment.temporaryDirectory()
        let store = try SQLiteMailStore(path: folder.appendingPathComponent("mail.sqlite").path)
        try await store.prepare()
        return store
    }

    /// Every store kind that can run here.
    static var all: [StoreFactory] { [.sqlite] }
}
