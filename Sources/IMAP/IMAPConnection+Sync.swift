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

    /// Every mailbox with its attributes and its message and unseen counts (keyed by the name as listed): in one
    /// command where the server offers LIST-STATUS (RFC 5819), else with a STATUS of each selectable mailbox.
    public func mailboxesWithCounts() async throws -> (listings: [IMAPMailboxListing], counts: [String: [String: UInt64]]) {
        let capabilities = try await self.capabilities()
        guard capabilities.contains("LIST-STATUS") else {
            let listings = try await self.mailboxes()
            var counts: [String: [String: UInt64]] = [:]
            for listing in listings where listing.isSelectable {
                for case .mailboxStatus(_, let values) in try await self.execute("STATUS \(try Self.quoted(listing.name)) (MESSAGES UNSEEN)").untagged
                {
                    counts[listing.name] = values
                }
            }
            return (listings, counts)
        }
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

    /// The most messages one folder may hold here: a server that claims more is not believed.
    static let largestFolder: UInt64 = 10_000_000

    /// Every UID of the selected mailbox, which holds `exists` messages, in ascending order: `UID SEARCH ALL`, as
    /// ranges (`RETURN (ALL)`) where the server offers ESEARCH. A server that names more UIDs than the mailbox holds
    /// is not believed (nothing is allocated for them).
    public func allUIDs(exists: UInt32) async throws -> [UInt32] {
        var uids: [UInt32] = []
        if try await self.capabilities().contains("ESEARCH") {
            for case .extendedSearch(let all?, _) in try await self.execute("UID SEARCH RETURN (ALL) ALL").untagged {
                guard all.count <= min(UInt64(exists), Self.largestFolder) else {
                    throw IMAPError.malformed("ESEARCH named more UIDs than the mailbox holds")
                }
                uids += all.ranges.flatMap { Array($0) }
            }
        } else {
            for case .search(let numbers, _) in try await self.execute("UID SEARCH ALL").untagged {
                uids += numbers
            }
        }
        return Array(Set(uids)).sorted()
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
