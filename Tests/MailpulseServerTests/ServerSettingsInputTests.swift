import Hummingbird
import MailpulseCore
import Testing

@testable import MailpulseServer

/// The `imap` settings of a link or relink: defaults by kind and security, what a relink keeps, what is refused.
struct ServerSettingsInputTests {
    @Test func gmailNeedsOnlyTheAddressAndTheAppPassword() throws {
        let credentials = try ServerSettingsInput(username: "ada@gmail.com", password: "app password").credentials(for: .gmail)
        #expect(
            credentials
                == ServerCredentials(
                    host: "imap.gmail.com",
                    port: 993,
                    security: .tls,
                    username: "ada@gmail.com",
                    password: "app password",
                    smtp: SubmissionServer(host: "smtp.gmail.com", port: 465, security: .tls)
                )
        )
    }

    @Test func sendingDefaultsToTheIMAPHostsSubmissionPortAndTakesItsOwnSettings() throws {
        let own = try ServerSettingsInput(
            host: "imap.example.com",
            username: "a",
            password: "b",
            smtp: .init(host: "smtp.example.com", security: "tls", username: "sender", password: "other")
        ).credentials(for: .imap)
        #expect(own.smtp == SubmissionServer(host: "smtp.example.com", port: 465, security: .tls, username: "sender", password: "other"))
        let defaults = try ServerSettingsInput(host: "imap.example.com", username: "a", password: "b", smtp: .init()).credentials(for: .imap)
        #expect(defaults.smtp == SubmissionServer(host: "imap.example.com", port: 587, security: .starttls))
        let relinked = try ServerSettingsInput(password: "new").credentials(for: .imap, known: own)
        #expect(relinked.smtp == own.smtp, "a relink keeps the submission server")
        for wrong in [
            ServerSettingsInput.SubmissionInput(host: "smtp example"), .init(port: 70_000), .init(security: "ssl"), .init(password: "a\nb"),
        ] {
            #expect(throws: HTTPError.self) {
                try ServerSettingsInput(host: "imap.example.com", username: "a", password: "b", smtp: wrong).credentials(for: .imap)
            }
        }
    }

    @Test func theDefaultPortFollowsTheSecurity() throws {
        #expect(try ServerSettingsInput(host: "imap.example.com", username: "a", password: "b").credentials(for: .imap).port == 993)
        let startTLS = try ServerSettingsInput(host: "imap.example.com", security: "starttls", username: "a", password: "b").credentials(for: .imap)
        #expect(startTLS.port == 143 && startTLS.security == .starttls)
    }

    @Test func aRelinkKeepsWhatItDoesNotChange() throws {
        let known = ServerCredentials(host: "127.0.0.1", port: 1143, security: .none, username: "demo@localhost", password: "old")
        let relinked = try ServerSettingsInput(password: "new").credentials(for: .imap, known: known)
        #expect(relinked == ServerCredentials(host: "127.0.0.1", port: 1143, security: .none, username: "demo@localhost", password: "new"))
    }

    @Test(arguments: [
        ServerSettingsInput(username: "a", password: "b"),
        ServerSettingsInput(host: "", username: "a", password: "b"),
        ServerSettingsInput(host: "imap.example.com/x", username: "a", password: "b"),
        ServerSettingsInput(host: "imap.example.com", port: 0, username: "a", password: "b"),
        ServerSettingsInput(host: "imap.example.com", port: 65_536, username: "a", password: "b"),
        ServerSettingsInput(host: "imap.example.com", security: "ssl", username: "a", password: "b"),
        ServerSettingsInput(host: "imap.example.com", password: "b"),
        ServerSettingsInput(host: "imap.example.com", username: "a\r\nb", password: "b"),
        ServerSettingsInput(host: "imap.example.com", username: "a"),
        ServerSettingsInput(host: "imap.example.com", username: "a", password: "b\nc"),
        ServerSettingsInput(host: "imap.example.com", username: "a", password: String(repeating: "p", count: 1_025)),
    ])
    func badSettingsAreA400ThatNamesTheField(_ settings: ServerSettingsInput) {
        do {
            _ = try settings.credentials(for: .imap)
            Issue.record("accepted \(settings)")
        } catch let error as HTTPError {
            #expect(error.status == .badRequest && (error.body ?? "").contains("imap."), "\(error)")
        } catch {
            Issue.record("\(error)")
        }
    }
}
