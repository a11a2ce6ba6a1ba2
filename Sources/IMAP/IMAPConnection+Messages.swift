public import Foundation
internal import MIME

/// Whole messages in and out: APPEND (a sent copy, a draft) and the fetch of one message's bytes.
extension IMAPConnection {
    /// `APPEND mailbox (flags) "date" {n}` (RFC 3501 §6.3.11) with the message as a literal, non-synchronizing where
    /// the server offers LITERAL+ (or LITERAL- for small messages). `flags` are system flags (`\Seen`, `\Draft`) or
    /// keywords; `date` the internal date (the server's clock when `nil`). Answers where the message went when the
    /// server says (UIDPLUS's APPENDUID), else `nil`. NO (over quota, no such mailbox) is ``IMAPError/refused(_:)``.
    @discardableResult
    public func append(_ message: [UInt8], to mailbox: String, flags: [String] = [], date: Date? = nil) async throws -> IMAPAppendUID? {
        guard !message.contains(0) else { throw IMAPError.invalidArgument("a message with NUL cannot be appended as text") }
        for flag in flags {
            let atom = flag.hasPrefix("\\") ? flag.dropFirst() : Substring(flag)
            guard !atom.isEmpty, atom.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && !Array("(){%*\"\\]".utf8).contains($0) }) else {
                throw IMAPError.invalidArgument("\"\(flag)\" is not a flag")
            }
        }
        var command = IMAPCommand("APPEND ")
        try command.append(string: ModifiedUTF7.encode(mailbox))
        if !flags.isEmpty { command.append(" (\(flags.joined(separator: " ")))") }
        if let date { command.append(" \"\(Self.internalDate(date))\"") }
        command.append(" ")
        command.append(literal: message)
        let result = try await self.execute(command)
        if case .appendUID(let uidValidity, let uid)? = result.status.code { return IMAPAppendUID(uidValidity: uidValidity, uid: uid) }
        return nil
    }

    /// The whole message with `uid` in the selected mailbox (`BODY.PEEK[]`: it stays unseen), after its size
    /// (RFC822.SIZE) was checked against `maximumSize` and the connection's ``IMAPLimits``: a larger one is
    /// ``IMAPError/tooLarge(size:limit:)`` and is not fetched; a UID the mailbox does not hold is
    /// ``IMAPError/messageNotFound(uid:)``.
    public func fetchMessage(uid: UInt32, maximumSize: Int) async throws -> [UInt8] {
        // The literal must fit the parser's bounds, with room for the FETCH response around it.
        let limit = min(maximumSize, self.limits.maximumLiteralLength, self.limits.maximumResponseLength - 4096)
        let sized = try await self.fetch(UIDSet([uid...uid]), items: ["UID", "RFC822.SIZE"]).first { $0.uid == uid }
        guard let size = sized?.size else { throw IMAPError.messageNotFound(uid: uid) }
        guard Int(size) <= limit else { throw IMAPError.tooLarge(size: Int(size), limit: limit) }
        let fetched = try await self.fetch(UIDSet([uid...uid]), items: ["UID", "BODY.PEEK[]"]).first { $0.uid == uid && $0.sections["BODY[]"] != nil }
        guard let bytes = fetched?.sections["BODY[]"] else { throw IMAPError.messageNotFound(uid: uid) }
        // The message may have been replaced in between (never with the same UID), but a server may lie.
        guard bytes.count <= limit else { throw IMAPError.tooLarge(size: bytes.count, limit: limit) }
        return bytes
    }

    /// IMAP's date-time (`17-Jul-1996 02:44:25 +0000`), in UTC.
    static func internalDate(_ date: Date) -> String {
        let fields = UTCDateFields(date)
        return "\(String(format: "%02d", fields.day))-\(fields.month)-\(fields.year) \(fields.time) +0000"
    }
}
