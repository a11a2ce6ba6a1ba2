/// The commands a sync needs beyond the basics: ENABLE, LIST with STATUS, UID SEARCH, changes since a mod-sequence
/// with what vanished, NOTIFY.
extension IMAPConnection {
    /// `ENABLE` (RFC 5161) of the extensions the server offers among `extensions`; answers those it enabled.
    @discardableResult
    public func enable(_ extensions: [String]) async throws -> Set<String> {
        let offered = try await self.capabilities()
        let wanted = extensions.filter { offered.contains($0) }
        guard !wanted.isEmpty, offered.contains("ENABLE") else { return [] }
        var enabled: Set<String> = []
        for case .enabled(let names) in try await self.execute("ENABLE \(wanted.joined(separator: " "))").untagged {
            enabled.formUnion(names)
        }
        return enabled
    }

    /// Every mailbox with its attributes and, where the server offers LIST-STATUS (RFC 5819), its message and unseen
    /// counts (keyed by the name as listed).
    public func mailboxesWithCounts() async throws -> (listings: [IMAPMailboxListing], counts: [String: [String: UInt64]]) {
        let capabilities = try await self.capabilities()
        guard capabilities.contains("LIST-STATUS") else { return (try await self.mailboxes(), [:]) }
        let specialUse = capabilities.contains("SPECIAL-USE") ? "SPECIAL-USE " : ""
        var listings: [IMAPMailboxListing] = []
        var counts: [String: [String: UInt64]] = [:]
        for response in try await self.execute("LIST \"\" \"*\" RETURN (\(specialUse)STATUS (MESSAGES UNSEEN))").untagged {
            switch response {
            case .list(let listing): listings.append(listing)
            case .mailboxStatus(let mailbox, let values): counts[mailbox] = values
            default: break
            }
        }
        return (listings, counts)
    }

    /// `UID SEARCH ALL` on the selected mailbox: every UID, in ascending order.
    public func allUIDs() async throws -> [UInt32] {
        var uids: [UInt32] = []
        for case .search(let numbers, _) in try await self.execute("UID SEARCH ALL").untagged {
            uids += numbers
        }
        return uids.sorted()
    }

    /// What changed in the selected mailbox after `modSequence` (CONDSTORE): the messages with `items`, and, with
    /// QRESYNC enabled and `vanished` asked, the UIDs expunged since (`VANISHED (EARLIER)`; a server may name UIDs the
    /// client never saw).
    public func changes(
        since modSequence: UInt64,
        items: [String],
        vanished: Bool
    ) async throws
        -> (changed: [IMAPMessageAttributes], vanished: [UIDSet])
    {
        let modifiers = vanished ? "CHANGEDSINCE \(modSequence) VANISHED" : "CHANGEDSINCE \(modSequence)"
        var changed: [IMAPMessageAttributes] = []
        var gone: [UIDSet] = []
        for response in try await self.execute("UID FETCH 1:* (\(items.joined(separator: " "))) (\(modifiers))").untagged {
            switch response {
            case .fetch(_, let attributes): changed.append(attributes)
            case .vanished(_, let set): gone.append(set)
            default: break
            }
        }
        return (changed, gone)
    }

    /// `NOTIFY SET` (RFC 5465) for every personal mailbox: new, expunged and re-flagged messages (reported as STATUS
    /// of the mailbox) and mailboxes created, renamed or deleted (reported as LIST). Read the reports with ``idle(for:)``.
    public func notifyPersonalMailboxes() async throws {
        try await self.execute("NOTIFY SET (personal (MessageNew MessageExpunge FlagChange MailboxName))")
    }
}
