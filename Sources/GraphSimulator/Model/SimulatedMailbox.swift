internal import Foundation

/// One simulated user and mailbox: its folders, its messages, and the change log delta rounds read.
struct SimulatedMailbox: Sendable {
    /// The standard folders every mailbox gets: (well-known name, display name, parent well-known name).
    static let standardFolders: [(String, String, String?)] = [
        ("inbox", "Inbox", nil), ("drafts", "Drafts", nil), ("sentitems", "Sent Items", nil), ("deleteditems", "Deleted Items", nil),
        ("archive", "Archive", nil), ("junkemail", "Junk Email", nil), ("receipts", "Receipts", "inbox"),
    ]

    let id: String
    let address: String
    let displayName: String
    let rootID: String
    private(set) var folders: [SimulatedFolder] = []
    private(set) var messages: [String: SimulatedMessage] = [:]
    private var restIndex: [String: String] = [:]
    private(set) var removals: [FolderRemoval] = []
    private(set) var folderDeletions: [FolderDeletion] = []
    private(set) var sequence = 0
    private var generator: SeededGenerator

    /// A mailbox with the standard folders and `messageCount` generated messages spread over them.
    init(address: String, displayName: String, messageCount: Int, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        // The address is part of the id: mailboxes made from one seed still have ids of their own.
        self.id = String(format: "%016llx", generator.next() ^ Self.fnv1a(address.lowercased()))
        self.address = address
        self.displayName = displayName
        self.rootID = generator.opaqueID(prefix: "AQMkAD", length: 16)
        self.generator = generator
        var byWellKnownName: [String: String] = [:]
        for (wellKnownName, displayName, parent) in Self.standardFolders {
            let id = self.generator.opaqueID(prefix: "AQMkAD", length: 16)
            byWellKnownName[wellKnownName] = id
            self.folders.append(
                SimulatedFolder(
                    id: id,
                    displayName: displayName,
                    parentID: parent.flatMap { byWellKnownName[$0] } ?? self.rootID,
                    wellKnownName: parent == nil ? wellKnownName : nil
                )
            )
        }
        let weights = [("inbox", 60), ("archive", 15), ("sentitems", 10), ("receipts", 8), ("deleteditems", 4), ("junkemail", 3)]
        let start = Date(timeIntervalSince1970: 1_735_689_600)
        for index in 0..<messageCount {
            var pick = Int(self.generator.next() % 100)
            let folder =
                weights.first {
                    pick -= $0.1
                    return pick < 0
                }?.0 ?? "inbox"
            let sender = Self.senders[Int(self.generator.next() % UInt64(Self.senders.count))]
            let topic = Self.topics[Int(self.generator.next() % UInt64(Self.topics.count))]
            let received = start.addingTimeInterval(Double(index) * 600 + Double(self.generator.next() % 600))
            let draft = MessageDraft(
                subject: "\(topic) #\(index + 1)",
                body: MessageBody(
                    contentType: .text,
                    content: "Hello \(displayName), here is an update about \(topic.lowercased()). Message \(index + 1) of \(messageCount)."
                ),
                from: Recipient(name: sender.0, address: sender.1),
                isRead: self.generator.next() % 3 != 0
            )
            _ = self.insert(folderID: byWellKnownName[folder]!, draft: draft, receivedAt: received)
        }
    }

    /// FNV-1a, 64 bits.
    private static func fnv1a(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    private static let senders = [
        ("Dana Swope", "danas@contoso.com"), ("Samantha Booth", "samanthab@contoso.com"), ("Ada Lovelace", "ada@example.org"),
        ("Grace Hopper", "grace@example.net"), ("Alan Turing", "alan@example.co.uk"), ("Billing", "billing@shop.example"),
    ]
    private static let topics = [
        "Holiday hours update", "Quarterly budget review", "Lunch on Friday", "Your receipt", "Project kickoff", "Weekly newsletter",
        "Security alert", "Invitation: design review",
    ]

    // MARK: Lookup

    /// A folder by id or well-known name (case-insensitive).
    func folder(_ idOrName: String) -> SimulatedFolder? {
        if idOrName == self.rootID || idOrName.caseInsensitiveCompare("msgfolderroot") == .orderedSame {
            return SimulatedFolder(id: self.rootID, displayName: "Top of Information Store", parentID: "", wellKnownName: "msgfolderroot")
        }
        return self.folders.first { $0.id == idOrName || $0.wellKnownName?.caseInsensitiveCompare(idOrName) == .orderedSame }
    }

    /// A message by its immutable id or its current REST id; an old REST id of a moved message is not found.
    func message(_ id: String) -> SimulatedMessage? {
        if let message = self.messages[id] { return message }
        return self.restIndex[id].flatMap { self.messages[$0] }
    }

    /// The folder's JSON with live counts.
    func folderJSON(_ folder: SimulatedFolder) -> JSONValue {
        let inFolder = self.messages.values.filter { $0.folderID == folder.id }
        return folder.json(
            childFolderCount: self.folders.filter { $0.parentID == folder.id }.count,
            unread: inFolder.filter { !$0.isRead }.count,
            total: inFolder.count
        )
    }

    // MARK: Changes

    /// Adds a new message with fresh ids (its attachments' too); answers it.
    mutating func insert(folderID: String, draft: MessageDraft, receivedAt: Date = Date()) -> SimulatedMessage {
        self.sequence += 1
        let immutableID = self.generator.opaqueID(prefix: "AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0A", length: 24)
        let restID = self.generator.opaqueID(prefix: "AAMkAD", length: 24)
        var attachments = draft.attachments
        for index in attachments.indices {
            attachments[index].id = self.generator.opaqueID(prefix: "AAMkADAttach", length: 24)
            attachments[index].lastModifiedAt = receivedAt
        }
        let message = SimulatedMessage(
            immutableID: immutableID,
            restID: restID,
            folderID: folderID,
            internetMessageID: draft.internetMessageID ?? "<\(immutableID.prefix(20))@mail.example>",
            conversationID: draft.conversationID ?? self.generator.opaqueID(prefix: "AAQkAD", length: 16),
            subject: draft.subject,
            fromName: draft.from.name,
            fromAddress: draft.from.address,
            toRecipients: draft.toRecipients ?? [Recipient(name: self.displayName, address: self.address)],
            ccRecipients: draft.ccRecipients,
            bccRecipients: draft.bccRecipients,
            replyTo: draft.replyTo,
            receivedAt: receivedAt,
            sentAt: receivedAt.addingTimeInterval(-2),
            createdAt: receivedAt,
            lastModifiedAt: receivedAt,
            changeKey: self.generator.opaqueID(prefix: "CQAAABYAAA", length: 20),
            isRead: draft.isRead,
            isDraft: draft.isDraft,
            flag: "notFlagged",
            importance: "normal",
            body: draft.body,
            bodyPreview: draft.body.preview,
            attachments: attachments,
            categories: [],
            changeSequence: self.sequence
        )
        self.messages[immutableID] = message
        self.restIndex[restID] = immutableID
        return message
    }

    /// Changes a message's properties; answers the new version, or `nil` when the message does not exist.
    mutating func update(_ id: String, isRead: Bool?, flag: String?, subject: String?) -> SimulatedMessage? {
        guard var message = self.message(id) else { return nil }
        if let isRead { message.isRead = isRead }
        if let flag { message.flag = flag }
        if let subject { message.subject = subject }
        self.touch(&message)
        self.messages[message.immutableID] = message
        return message
    }

    /// Moves a message; a move is a removal from the source folder and an addition to the destination,
    /// and gives the message a new REST id (its immutable id stays). Answers the moved message.
    mutating func move(_ id: String, to folderID: String) -> SimulatedMessage? {
        guard var message = self.message(id) else { return nil }
        guard message.folderID != folderID else { return message }
        self.touch(&message)
        self.removals.append(
            FolderRemoval(sequence: message.changeSequence, folderID: message.folderID, immutableID: message.immutableID, restID: message.restID)
        )
        self.restIndex[message.restID] = nil
        message.restID = self.generator.opaqueID(prefix: "AAMkAD", length: 24)
        self.restIndex[message.restID] = message.immutableID
        message.folderID = folderID
        self.messages[message.immutableID] = message
        return message
    }

    /// Removes a message for good; answers what it was.
    mutating func delete(_ id: String) -> SimulatedMessage? {
        guard let message = self.message(id) else { return nil }
        self.sequence += 1
        self.removals.append(
            FolderRemoval(sequence: self.sequence, folderID: message.folderID, immutableID: message.immutableID, restID: message.restID)
        )
        self.messages[message.immutableID] = nil
        self.restIndex[message.restID] = nil
        return message
    }

    private mutating func touch(_ message: inout SimulatedMessage) {
        self.sequence += 1
        message.changeSequence = self.sequence
        // Graph's timestamps have second precision; keep them strictly growing so versions order every change.
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        message.lastModifiedAt = max(now, message.lastModifiedAt.addingTimeInterval(1))
        message.changeKey = self.generator.opaqueID(prefix: "CQAAABYAAA", length: 20)
    }

    // MARK: Folders

    /// Why a folder change is refused.
    enum FolderFailure: Error {
        /// The name is blank or longer than ``maximumFolderNameLength``.
        case invalidName
        /// The parent (or the destination of a move) does not exist.
        case unknownParent
        /// A sibling has the name already, whatever its case (Graph's `ErrorFolderExists`).
        case nameTaken
        case notFound
        /// The root and the well-known folders keep their names and places.
        case standardFolder
        /// A folder cannot move into itself or into one of its subfolders.
        case intoOwnSubtree
    }

    /// The longest folder name taken.
    static let maximumFolderNameLength = 255

    /// Creates a folder under `parent` (an id or well-known name); answers it.
    mutating func createFolder(displayName: String, parent: String) throws(FolderFailure) -> SimulatedFolder {
        guard let parent = self.folder(parent) else { throw .unknownParent }
        try self.checkName(displayName, under: parent.id, excluding: nil)
        self.sequence += 1
        let folder = SimulatedFolder(
            id: self.generator.opaqueID(prefix: "AQMkAD", length: 16),
            displayName: displayName,
            parentID: parent.id,
            changeSequence: self.sequence
        )
        self.folders.append(folder)
        return folder
    }

    /// Renames a folder, moves it under `parent` (an id or well-known name), or both; answers it. Its subfolders and
    /// messages go with it and keep their ids.
    mutating func updateFolder(_ id: String, displayName: String?, parent: String?) throws(FolderFailure) -> SimulatedFolder {
        guard let current = self.folder(id) else { throw .notFound }
        guard current.wellKnownName == nil, let index = self.folders.firstIndex(where: { $0.id == current.id }) else { throw .standardFolder }
        var folder = current
        if let parent {
            guard let destination = self.folder(parent) else { throw .unknownParent }
            guard !self.isFolder(destination.id, within: folder.id) else { throw .intoOwnSubtree }
            folder.parentID = destination.id
        }
        if let displayName {
            folder.displayName = displayName
        }
        guard folder.displayName != current.displayName || folder.parentID != current.parentID else { return current }
        try self.checkName(folder.displayName, under: folder.parentID, excluding: folder.id)
        self.sequence += 1
        folder.changeSequence = self.sequence
        self.folders[index] = folder
        return folder
    }

    /// Deletes a folder as Outlook does: it moves into Deleted Items with its subfolders and messages, or, when it is
    /// inside Deleted Items already, goes for good with them. Answers the messages deleted for good.
    mutating func deleteFolder(_ id: String) throws(FolderFailure) -> [SimulatedMessage] {
        guard let folder = self.folder(id) else { throw .notFound }
        guard folder.wellKnownName == nil else { throw .standardFolder }
        let deletedItems = self.folder("deleteditems")!.id
        guard self.isFolder(folder.id, within: deletedItems) else {
            _ = try self.updateFolder(folder.id, displayName: nil, parent: deletedItems)
            return []
        }
        let subtree = Set(self.folders.filter { self.isFolder($0.id, within: folder.id) }.map(\.id))
        let deleted = self.messages.values.filter { subtree.contains($0.folderID) }
            .sorted { ($0.receivedAt, $0.immutableID) > ($1.receivedAt, $1.immutableID) }
            .compactMap { self.delete($0.immutableID) }
        self.sequence += 1
        for folderID in subtree.sorted() {
            self.folderDeletions.append(FolderDeletion(sequence: self.sequence, folderID: folderID))
        }
        self.folders.removeAll { subtree.contains($0.id) }
        return deleted
    }

    private func checkName(_ name: String, under parentID: String, excluding folderID: String?) throws(FolderFailure) {
        guard !name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, name.count <= Self.maximumFolderNameLength else {
            throw .invalidName
        }
        let taken = self.folders.contains {
            $0.parentID == parentID && $0.id != folderID && $0.displayName.caseInsensitiveCompare(name) == .orderedSame
        }
        if taken { throw .nameTaken }
    }

    /// Whether a folder is `ancestorID` or lies somewhere beneath it.
    private func isFolder(_ folderID: String, within ancestorID: String) -> Bool {
        var current: String? = folderID
        while let id = current {
            if id == ancestorID { return true }
            current = self.folders.first { $0.id == id }?.parentID
        }
        return false
    }

    // MARK: Delta

    /// What a delta round of a folder returns: the messages changed after `sequence` (all of them for an initial
    /// round), newest first, then the messages that left the folder after it.
    func deltaItems(folderID: String, after sequence: Int?) -> [DeltaItem] {
        let present = self.messages.values
            .filter { $0.folderID == folderID && (sequence == nil || $0.changeSequence > sequence!) }
            .sorted { ($0.receivedAt, $0.immutableID) > ($1.receivedAt, $1.immutableID) }
            .map { DeltaItem.present(immutableID: $0.immutableID) }
        guard let sequence else { return present }
        var reported = Set<String>()
        let removed = self.removals
            .filter { $0.folderID == folderID && $0.sequence > sequence && self.messages[$0.immutableID]?.folderID != folderID }
            .filter { reported.insert($0.immutableID).inserted }
            .map { DeltaItem.removed(immutableID: $0.immutableID, restID: $0.restID) }
        return present + removed
    }

    /// The entries of a folder delta round: the folders created, renamed or moved after `after` (every folder when it is
    /// `nil`: an initial round enumerates the tree) and the folders deleted for good after it, up to `until`. They go by
    /// sequence, then folder id, so a page resumes after the last entry served whatever changed since: an entry that
    /// changes again moves past `until`, out of this round and into the next.
    func folderDeltaEntries(after: Int?, until: Int) -> [FolderDeltaEntry] {
        let lower = after ?? Int.min
        var entries = self.folders.filter { $0.changeSequence > lower && $0.changeSequence <= until }.map(FolderDeltaEntry.changed)
        if after != nil {
            entries += self.folderDeletions.filter { $0.sequence > lower && $0.sequence <= until }.map(FolderDeltaEntry.deleted)
        }
        return entries.sorted { ($0.sequence, $0.folderID) < ($1.sequence, $1.folderID) }
    }
}

/// One entry of a delta round, resolved to JSON when its page is served.
enum DeltaItem: Sendable {
    case present(immutableID: String)
    case removed(immutableID: String, restID: String)
}
