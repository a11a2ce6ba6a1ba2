public import Configuration
internal import ElasticsearchStore
internal import Foundation
internal import Logging
internal import Redis

extension MailpulseConfiguration {
    /// Reads every setting from a configuration reader (environment variables, `.env`), keeping the default where
    /// a setting is absent; a present but invalid value throws a ``ConfigurationError`` naming its variable.
    public init(reader: ConfigReader) throws {
        self.init()
        let settings = Settings(reader: reader)
        self.host = settings.string("HTTP_HOST") ?? self.host
        self.port = try settings.integer("HTTP_PORT", in: 0...65535) ?? self.port
        self.maximumBodyBytes = try settings.integer("HTTP_MAX_BODY_BYTES", in: 1024...(64 << 20)) ?? self.maximumBodyBytes
        self.adminAPIKey = settings.string("ADMIN_API_KEY", isSecret: true)
        if let key = self.adminAPIKey, key.utf8.count < 16 {
            throw ConfigurationError(key: "ADMIN_API_KEY", message: "use at least 16 characters (for example: openssl rand -base64 32)")
        }
        self.accountsPerClientPerHour = try settings.integer("ACCOUNTS_PER_CLIENT_PER_HOUR", in: 1...1_000_000) ?? self.accountsPerClientPerHour
        if let proxies = settings.string("TRUSTED_PROXIES") {
            self.trustedProxies = try proxies.split(separator: ",").map { proxy in
                let text = proxy.trimmingCharacters(in: .whitespaces)
                guard ClientAddress.Block(text) != nil else {
                    throw ConfigurationError(
                        key: "TRUSTED_PROXIES",
                        message: "'\(text)' is not an IP address or block such as 10.0.0.2, 172.16.0.0/12 or fd00::/8"
                    )
                }
                return text
            }
        }
        self.maximumSocketsPerAccount = try settings.integer("WEBSOCKETS_PER_ACCOUNT", in: 1...1000) ?? self.maximumSocketsPerAccount
        if let url = settings.string("REDIS_URL") {
            do {
                self.redisURL = try RedisURL(url)
            } catch let error as RedisError {
                throw ConfigurationError(key: "REDIS_URL", message: error.message)
            }
        }
        self.redisPrefix = settings.string("REDIS_PREFIX") ?? self.redisPrefix
        self.store = try settings.choice("STORE", of: StoreKind.self) ?? self.store
        self.sqlitePath = settings.string("SQLITE_PATH") ?? self.sqlitePath
        self.webDirectory = settings.string("WEB_DIRECTORY") ?? self.webDirectory
        self.elasticsearchURL = try settings.url("ELASTICSEARCH_URL")
        self.elasticsearchUsername = settings.string("ELASTICSEARCH_USERNAME")
        self.elasticsearchPassword = settings.string("ELASTICSEARCH_PASSWORD", isSecret: true)
        self.elasticsearchAPIKey = settings.string("ELASTICSEARCH_API_KEY", isSecret: true)
        self.elasticsearchIndexPrefix = settings.string("ELASTICSEARCH_INDEX_PREFIX") ?? self.elasticsearchIndexPrefix
        self.elasticsearchRefresh =
            try settings.choice("ELASTICSEARCH_REFRESH", of: ElasticsearchConfiguration.Refresh.self) ?? self.elasticsearchRefresh
        if self.store == .elasticsearch && self.elasticsearchURL == nil {
            throw ConfigurationError(key: "ELASTICSEARCH_URL", message: "STORE=elasticsearch needs the cluster's URL, e.g. http://127.0.0.1:9200")
        }
        if (self.elasticsearchUsername == nil) != (self.elasticsearchPassword == nil) {
            throw ConfigurationError(key: "ELASTICSEARCH_PASSWORD", message: "give ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD together")
        }
        self.tokenKey = settings.string("TOKEN_KEY", isSecret: true)
        self.tokenKeyFile = settings.string("TOKEN_KEY_FILE") ?? self.tokenKeyFile
        self.microsoftClientID = settings.string("MS_CLIENT_ID")
        self.microsoftClientSecret = settings.string("MS_CLIENT_SECRET", isSecret: true)
        self.microsoftTenant = settings.string("MS_TENANT") ?? self.microsoftTenant
        self.identityBaseURL = try settings.url("IDENTITY_BASE_URL")
        self.graphBaseURL = try settings.url("GRAPH_BASE_URL")
        self.publicURL = try settings.url("PUBLIC_URL")
        self.tunnelAPIURL = try settings.url("TUNNEL_API_URL")
        if let origins = settings.string("ALLOWED_CALLBACK_ORIGINS") {
            self.allowedCallbackOrigins = try origins.split(separator: ",").map { origin in
                let text = origin.trimmingCharacters(in: .whitespaces)
                guard let parsed = CheckedURL(text), parsed.rest.isEmpty || parsed.rest == "/" else {
                    throw ConfigurationError(
                        key: "ALLOWED_CALLBACK_ORIGINS",
                        message: "'\(text)' is not an http(s) origin such as https://app.example.com"
                    )
                }
                return parsed.origin
            }
        }
        if let margin = try settings.integer("TOKEN_REFRESH_MARGIN_SECONDS", in: 0...3000) {
            self.tokenRefreshMargin = .seconds(margin)
        }
        if let interval = try settings.integer("SYNC_INTERVAL_SECONDS", in: 0...86_400) {
            self.syncInterval = .seconds(interval)
        }
        let seconds: [(String, ClosedRange<Int>, WritableKeyPath<MailpulseConfiguration, Duration>)] = [
            ("POLL_INTERVAL_SECONDS", 1...86_400, \.pollInterval),
            ("BACKFILL_GAP_SECONDS", 0...86_400 * 30, \.backfillGap),
            ("WORKER_CLAIM_IDLE_SECONDS", 1...3600, \.workerClaimIdle),
            ("SUBSCRIPTION_RENEWAL_MARGIN_SECONDS", 60...(7 * 86_400), \.subscriptionRenewalMargin),
            ("RENEWAL_INTERVAL_SECONDS", 1...86_400, \.renewalInterval),
            ("TUNNEL_CHECK_INTERVAL_SECONDS", 1...3600, \.tunnelCheckInterval),
            ("HTTP_IDLE_TIMEOUT_SECONDS", 1...3600, \.httpIdleTimeout),
            ("PENDING_ACCOUNT_TTL_SECONDS", 1...(30 * 86_400), \.pendingAccountLifetime),
        ]
        for (name, range, path) in seconds {
            if let value = try settings.integer(name, in: range) { self[keyPath: path] = .seconds(value) }
        }
        self.webhooks = try settings.choice("WEBHOOKS", of: Switch.self).map { $0 == .on } ?? self.webhooks
        self.workers = try settings.integer("WORKERS", in: 0...256) ?? self.workers
        self.graphPageSize = try settings.integer("GRAPH_PAGE_SIZE", in: 1...1000) ?? self.graphPageSize
        self.mailboxRequestsPer10Minutes =
            try settings.integer("MAILBOX_REQUESTS_PER_10_MINUTES", in: 1...1_000_000) ?? self.mailboxRequestsPer10Minutes
        self.mailboxConcurrency = try settings.integer("MAILBOX_CONCURRENCY", in: 1...64) ?? self.mailboxConcurrency
        self.imapAllowPlaintext = try settings.choice("IMAP_ALLOW_PLAINTEXT", of: Truth.self).map { $0 == .true } ?? self.imapAllowPlaintext
        self.imapTrustedCertificates = settings.string("IMAP_CA_FILE") ?? self.imapTrustedCertificates
        self.imapPageSize = try settings.integer("IMAP_PAGE_SIZE", in: 1...5_000) ?? self.imapPageSize
        self.syncBodiesDays = try settings.integer("SYNC_BODIES_DAYS", in: 0...36_500) ?? self.syncBodiesDays
        self.eventLogMaximumBytes = try settings.integer("EVENT_LOG_MAX_BYTES", in: 4_096...(64 << 20)) ?? self.eventLogMaximumBytes
        self.maximumAttachmentBytes = try settings.integer("ATTACHMENT_MAX_BYTES", in: 1024...(1 << 30)) ?? self.maximumAttachmentBytes
        self.sendsPerAccountPerMinute = try settings.integer("SENDS_PER_ACCOUNT_PER_MINUTE", in: 1...10_000) ?? self.sendsPerAccountPerMinute
        self.imapConnectionsPerAccount = try settings.integer("IMAP_CONNECTIONS_PER_ACCOUNT", in: 1...14) ?? self.imapConnectionsPerAccount
        self.imapConnectionsPerServer = try settings.integer("IMAP_CONNECTIONS_PER_SERVER", in: 1...100_000) ?? self.imapConnectionsPerServer
        self.imapWatchConnections = try settings.integer("IMAP_WATCH_CONNECTIONS", in: 1...14) ?? self.imapWatchConnections
        if let level = settings.string("LOG_LEVEL") {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
                throw ConfigurationError(key: "LOG_LEVEL", message: "'\(level)' is not one of \(levels)")
            }
            self.logLevel = parsed
        }
    }
}

/// An on/off setting.
private enum Switch: String, CaseIterable {
    case on, off
}

/// A true/false setting.
private enum Truth: String, CaseIterable {
    case `true`, `false`
}

/// Reads settings by their environment-variable names, so the README's names are the only names.
private struct Settings {
    let reader: ConfigReader

    func string(_ name: String, isSecret: Bool = false) -> String? {
        let key = ConfigKey(name.lowercased().split(separator: "_").map(String.init))
        guard let value = self.reader.string(forKey: key, isSecret: isSecret), !value.isEmpty else { return nil }
        return value
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = self.string(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError(key: name, message: "'\(text)' is not a whole number in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    func url(_ name: String) throws -> String? {
        guard let text = self.string(name) else { return nil }
        guard CheckedURL(text) != nil else {
            throw ConfigurationError(key: name, message: "'\(text)' is not an http(s) URL")
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    func choice<Choice: RawRepresentable & CaseIterable>(_ name: String, of type: Choice.Type) throws -> Choice?
    where Choice.RawValue == String {
        guard let text = self.string(name) else { return nil }
        guard let value = Choice(rawValue: text.lowercased()) else {
            let choices = Choice.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigurationError(key: name, message: "'\(text)' is not one of \(choices)")
        }
        return value
    }
}
