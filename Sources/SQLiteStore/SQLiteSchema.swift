internal import GRDB

/// The schema of the SQLite store, as an ordered list of migrations.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-accounts-mailboxes-messages") { db in
            try db.execute(
                sql: """
                    CREATE TABLE accounts (
                        id TEXT PRIMARY KEY NOT NULL,
                        provider TEXT NOT NULL,
                        status TEXT NOT NULL,
                        provider_user_id TEXT,
                        display_name TEXT,
                        address TEXT,
                        sealed_tokens BLOB,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL,
                        last_synced_at INTEGER
                    );

                    CREATE TABLE mailboxes (
                        account_id TEXT NOT NULL,
                        id TEXT NOT NULL,
                        parent_id TEXT,
                        display_name TEXT NOT NULL,
                        well_known_name TEXT,
                        total_count INTEGER NOT NULL,
                        unread_count INTEGER NOT NULL,
                        is_hidden INTEGER NOT NULL,
                        PRIMARY KEY (account_id, id)
                    ) WITHOUT ROWID;

                    CREATE TABLE sync_states (
                        account_id TEXT NOT NULL,
                        scope TEXT NOT NULL,
                        cursor TEXT,
                        checkpoint TEXT,
                        pages_stored INTEGER NOT NULL,
                        messages_stored INTEGER NOT NULL,
                        completed_at INTEGER,
                        PRIMARY KEY (account_id, scope)
                    ) WITHOUT ROWID;

                    -- A row with deleted = 1 is a tombstone: it keeps the id and the deletion time so that a stale
                    -- write cannot bring the message back.
                    CREATE TABLE messages (
                        rowid INTEGER PRIMARY KEY,
                        account_id TEXT NOT NULL,
                        id TEXT NOT NULL,
                        mailbox_id TEXT NOT NULL,
                        internet_message_id TEXT,
                        conversation_id TEXT,
                        subject TEXT NOT NULL,
                        from_name TEXT,
                        from_address TEXT,
                        sender_name TEXT,
                        sender_address TEXT,
                        to_recipients TEXT NOT NULL,
                        cc_recipients TEXT NOT NULL,
                        received_at INTEGER NOT NULL,
                        sent_at INTEGER,
                        is_read INTEGER NOT NULL,
                        is_draft INTEGER NOT NULL,
                        flag TEXT NOT NULL,
                        importance TEXT NOT NULL,
                        has_attachments INTEGER NOT NULL,
                        body_preview TEXT NOT NULL,
                        categories TEXT NOT NULL,
                        modified_at INTEGER NOT NULL,
                        change_key TEXT NOT NULL,
                        deleted INTEGER NOT NULL DEFAULT 0,
                        deleted_at INTEGER,
                        UNIQUE (account_id, id)
                    );
                    CREATE INDEX messages_by_account_time ON messages (account_id, deleted, received_at DESC, id DESC);
                    CREATE INDEX messages_by_mailbox_time ON messages (account_id, mailbox_id, deleted, received_at DESC, id DESC);

                    CREATE VIRTUAL TABLE messages_fts USING fts5(
                        subject, from_name, from_address, body_preview,
                        content = 'messages', content_rowid = 'rowid',
                        tokenize = 'unicode61 remove_diacritics 2'
                    );

                    -- Only live rows are indexed, and an update touches the index only when searchable text or
                    -- liveness changed: marking a message read does not rewrite its index entry.
                    CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN new.deleted = 0 BEGIN
                        INSERT INTO messages_fts (rowid, subject, from_name, from_address, body_preview)
                        VALUES (new.rowid, new.subject, new.from_name, new.from_address, new.body_preview);
                    END;
                    CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN old.deleted = 0 BEGIN
                        INSERT INTO messages_fts (messages_fts, rowid, subject, from_name, from_address, body_preview)
                        VALUES ('delete', old.rowid, old.subject, old.from_name, old.from_address, old.body_preview);
                    END;
                    CREATE TRIGGER messages_fts_update AFTER UPDATE ON messages
                    WHEN old.deleted IS NOT new.deleted
                        OR old.subject IS NOT new.subject
                        OR old.from_name IS NOT new.from_name
                        OR old.from_address IS NOT new.from_address
                        OR old.body_preview IS NOT new.body_preview
                    BEGIN
                        INSERT INTO messages_fts (messages_fts, rowid, subject, from_name, from_address, body_preview)
                        SELECT 'delete', old.rowid, old.subject, old.from_name, old.from_address, old.body_preview
                        WHERE old.deleted = 0;
                        INSERT INTO messages_fts (rowid, subject, from_name, from_address, body_preview)
                        SELECT new.rowid, new.subject, new.from_name, new.from_address, new.body_preview
                        WHERE new.deleted = 0;
                    END;
                    """
            )
        }
        migrator.registerMigration("v2-account-api-token") { db in
            try db.execute(sql: "ALTER TABLE accounts ADD COLUMN api_token_hash BLOB")
        }
        migrator.registerMigration("v3-account-subscription") { db in
            try db.execute(
                sql: """
                    ALTER TABLE accounts ADD COLUMN subscription_id TEXT;
                    ALTER TABLE accounts ADD COLUMN subscription_expires_at INTEGER;
                    """
            )
        }
        migrator.registerMigration("v4-subscription-notification-url") { db in
            try db.execute(sql: "ALTER TABLE accounts ADD COLUMN subscription_notification_url TEXT")
        }
        migrator.registerMigration("v5-account-scoped-search-and-guards") { db in
            // The full-text index becomes contentless and its words carry their account's tag (FullTextQuery), so a
            // search reads only its own account's terms; and a row of an account that no longer exists is refused,
            // so a sync or worker still running when its account is deleted cannot bring any of it back.
            let indexed = { (row: String) in
                "mailpulse_indexed_text(\(row).account_id, \(row).subject, \(row).from_name, \(row).from_address, \(row).body_preview)"
            }
            let (old, new) = (indexed("old"), indexed("new"))
            try db.execute(
                sql: """
                    DROP TRIGGER messages_fts_insert;
                    DROP TRIGGER messages_fts_delete;
                    DROP TRIGGER messages_fts_update;
                    DROP TABLE messages_fts;

                    CREATE VIRTUAL TABLE message_words USING fts5(words, content = '', tokenize = 'unicode61 remove_diacritics 2');
                    INSERT INTO message_words (rowid, words)
                        SELECT rowid, mailpulse_indexed_text(account_id, subject, from_name, from_address, body_preview)
                        FROM messages WHERE deleted = 0;

                    CREATE TRIGGER message_words_insert AFTER INSERT ON messages WHEN new.deleted = 0 BEGIN
                        INSERT INTO message_words (rowid, words) VALUES (new.rowid, \(new));
                    END;
                    CREATE TRIGGER message_words_delete AFTER DELETE ON messages WHEN old.deleted = 0 BEGIN
                        INSERT INTO message_words (message_words, rowid, words) VALUES ('delete', old.rowid, \(old));
                    END;
                    CREATE TRIGGER message_words_update AFTER UPDATE ON messages
                    WHEN old.deleted IS NOT new.deleted
                        OR old.subject IS NOT new.subject
                        OR old.from_name IS NOT new.from_name
                        OR old.from_address IS NOT new.from_address
                        OR old.body_preview IS NOT new.body_preview
                    BEGIN
                        INSERT INTO message_words (message_words, rowid, words) SELECT 'delete', old.rowid, \(old) WHERE old.deleted = 0;
                        INSERT INTO message_words (rowid, words) SELECT new.rowid, \(new) WHERE new.deleted = 0;
                    END;
                    """
            )
            for table in ["messages", "mailboxes", "sync_states"] {
                try db.execute(
                    sql: """
                        CREATE TRIGGER \(table)_need_account BEFORE INSERT ON \(table)
                        WHEN NOT EXISTS (SELECT 1 FROM accounts WHERE id = new.account_id)
                        BEGIN SELECT RAISE(ABORT, '\(Self.accountMissing)'); END;
                        """
                )
            }
        }
        migrator.registerMigration("v6-message-contents") { db in
            // What opening a message read is kept beside it; its body's words join the message's in the index
            // (`body_text`, on the row so that the index triggers see it, and cleared with the message).
            let indexed = { (row: String) in
                "mailpulse_indexed_text(\(row).account_id, \(row).subject, \(row).from_name, \(row).from_address, \(row).body_preview, \(row).body_text)"
            }
            let (old, new) = (indexed("old"), indexed("new"))
            try db.execute(
                sql: """
                    ALTER TABLE messages ADD COLUMN body_text TEXT;
                    CREATE TABLE message_contents (
                        account_id TEXT NOT NULL,
                        id TEXT NOT NULL,
                        content TEXT NOT NULL,
                        PRIMARY KEY (account_id, id)
                    ) WITHOUT ROWID;
                    CREATE TRIGGER message_contents_need_account BEFORE INSERT ON message_contents
                    WHEN NOT EXISTS (SELECT 1 FROM accounts WHERE id = new.account_id)
                    BEGIN SELECT RAISE(ABORT, '\(Self.accountMissing)'); END;
                    CREATE INDEX messages_by_conversation ON messages (account_id, conversation_id, deleted, received_at, id);

                    DROP TRIGGER message_words_insert;
                    DROP TRIGGER message_words_delete;
                    DROP TRIGGER message_words_update;
                    CREATE TRIGGER message_words_insert AFTER INSERT ON messages WHEN new.deleted = 0 BEGIN
                        INSERT INTO message_words (rowid, words) VALUES (new.rowid, \(new));
                    END;
                    CREATE TRIGGER message_words_delete AFTER DELETE ON messages WHEN old.deleted = 0 BEGIN
                        INSERT INTO message_words (message_words, rowid, words) VALUES ('delete', old.rowid, \(old));
                    END;
                    CREATE TRIGGER message_words_update AFTER UPDATE ON messages
                    WHEN old.deleted IS NOT new.deleted
                        OR old.subject IS NOT new.subject
                        OR old.from_name IS NOT new.from_name
                        OR old.from_address IS NOT new.from_address
                        OR old.body_preview IS NOT new.body_preview
                        OR old.body_text IS NOT new.body_text
                    BEGIN
                        INSERT INTO message_words (message_words, rowid, words) SELECT 'delete', old.rowid, \(old) WHERE old.deleted = 0;
                        INSERT INTO message_words (rowid, words) SELECT new.rowid, \(new) WHERE new.deleted = 0;
                    END;
                    """
            )
        }
        return migrator
    }

    /// The error a write for an account that does not exist (any more) raises.
    static let accountMissing = "mailpulse: the account does not exist"
}
