internal import IMAP
internal import MIME
internal import MailpulseCore

/// How a message IMAP describes becomes a ``Message`` of the mirror.
enum IMAPMessageMapping {
    /// The FETCH items a mirror's message needs: MODSEQ with CONDSTORE, the server's PREVIEW where offered, else the
    /// first bytes of the body for the client's own (``IMAPTextPreview``).
    static func items(_ capabilities: Set<String>) -> [String] {
        var items = ["UID", "FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE"]
        if capabilities.contains("CONDSTORE") || capabilities.contains("QRESYNC") { items.append("MODSEQ") }
        items += capabilities.contains("PREVIEW") ? ["PREVIEW"] : IMAPTextPreview.items
        if capabilities.contains("X-GM-EXT-1") { items.append("X-GM-THRID") }
        return items
    }

    /// The message, or `nil` when the server left out what identifies it (its UID).
    static func message(
        _ attributes: IMAPMessageAttributes,
        account: AccountID,
        folderID: String,
        uidValidity: UInt32
    ) -> Message? {
        guard let uid = attributes.uid else { return nil }
        let envelope = attributes.envelope
        let flags = attributes.flags ?? []
        let lowered = Set(flags.map { $0.lowercased() })
        let receivedAt = attributes.internalDate.flatMap(IMAPDates.internalDate) ?? 0
        return Message(
            accountID: account,
            id: IMAPMessageID(folderID: folderID, uidValidity: uidValidity, uid: uid).description,
            mailboxID: folderID,
            internetMessageID: envelope?.messageID,
            conversationID: attributes.gmailThreadID.map { "\($0)" },
            subject: envelope?.subject.map(EncodedWords.decode) ?? "",
            from: envelope?.from.first.flatMap(Self.address),
            sender: envelope.flatMap { $0.sender.first != $0.from.first ? $0.sender.first.flatMap(Self.address) : nil },
            toRecipients: envelope?.to.compactMap(Self.address) ?? [],
            ccRecipients: envelope?.cc.compactMap(Self.address) ?? [],
            receivedAt: receivedAt,
            sentAt: envelope?.date.flatMap(IMAPDates.headerDate),
            isRead: lowered.contains("\\seen"),
            isDraft: lowered.contains("\\draft"),
            flag: lowered.contains("\\flagged") ? .flagged : .notFlagged,
            importance: .normal,
            hasAttachments: false,
            bodyPreview: attributes.preview ?? IMAPTextPreview.preview(of: attributes),
            // Keywords (flags without a backslash) are the user's labels, as Outlook's categories are.
            categories: flags.filter { !$0.hasPrefix("\\") && $0 != "$NotJunk" && $0 != "NonJunk" },
            version: Self.version(modSequence: attributes.modSequence, flags: flags)
        )
    }

    /// MODSEQ orders versions; the flags tell two of one mod-sequence apart. Without CONDSTORE every version has
    /// sequence 0, so a flag change is of unknown order and the engine reads the message again to settle it.
    static func version(modSequence: UInt64?, flags: [String]) -> MessageVersion {
        MessageVersion(
            sequence: Int64(clamping: modSequence ?? 0),
            changeKey: flags.map { $0.lowercased() }.sorted().joined(separator: " ")
        )
    }

    private static func address(_ address: IMAPAddress) -> EmailAddress? {
        guard let text = address.address else { return nil }
        return EmailAddress(name: address.name.map(EncodedWords.decode) ?? "", address: text)
    }
}
