import Configuration
import ElasticsearchStore
import Logging
import MailpulseServer
import Redis
import Testing

@Suite struct ConfigurationTests {
    private func configuration(_ values: [String: String]) throws -> MailpulseConfiguration {
        var entries: [AbsoluteConfigKey: ConfigValue] = [:]
        for (name, value) in values {
            entries[AbsoluteConfigKey(name.lowercased().split(separator: "_").map(String.init))] = ConfigValue(.string(value), isSecret: false)
        }
        return try MailpulseConfiguration(reader: ConfigReader(provider: InMemoryProvider(values: entries)))
    }

    @Test func defaultsServeLocally() throws {
        let configuration = try self.configuration([:])
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8080)
        #expect(configuration.redisURL.port == 6379)
        #expect(configuration.store == .sqlite)
        #expect(configuration.sqlitePath == "data/mailpulse.sqlite")
        #expect(configuration.tokenKey == nil)
        #expect(configuration.logLevel == .info)
    }

    @Test func valuesAreReadByTheirEnvironmentNames() throws {
        let configuration = try self.configuration([
            "HTTP_HOST": "0.0.0.0", "HTTP_PORT": "9000", "HTTP_MAX_BODY_BYTES": "2048", "REDIS_URL": "redis://cache:6380/2",
            "REDIS_PREFIX": "mp:", "STORE": "SQLite", "SQLITE_PATH": "/var/lib/mailpulse/mail.sqlite", "LOG_LEVEL": "DEBUG",
        ])
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.port == 9000)
        #expect(configuration.maximumBodyBytes == 2048)
        #expect(configuration.redisURL.host == "cache" && configuration.redisURL.database == 2)
        #expect(configuration.redisPrefix == "mp:")
        #expect(configuration.sqlitePath == "/var/lib/mailpulse/mail.sqlite")
        #expect(configuration.logLevel == .debug)
    }

    @Test func theServiceKeepsFivePercentBelowGraphsMailboxLimit() throws {
        #expect(try self.configuration([:]).mailboxRequestBudget == 9_500)
        #expect(try self.configuration(["MAILBOX_REQUESTS_PER_10_MINUTES": "60"]).mailboxRequestBudget == 57)
        #expect(try self.configuration(["MAILBOX_REQUESTS_PER_10_MINUTES": "1"]).mailboxRequestBudget == 1)
    }

    @Test func demoModeWithoutAClientIDPointsAtGraphSim() throws {
        let demo = try self.configuration([:])
        #expect(demo.isDemo)
        #expect(demo.resolvedIdentityBaseURL == "http://127.0.0.1:8081")
        #expect(demo.resolvedPublicURL == "http://127.0.0.1:8080")
        let real = try self.configuration([
            "MS_CLIENT_ID": "abc", "PUBLIC_URL": "https://mail.example.com/", "ALLOWED_CALLBACK_ORIGINS": "https://App.example.com:443",
        ])
        #expect(!real.isDemo)
        #expect(real.resolvedIdentityBaseURL == "https://login.microsoftonline.com")
        #expect(real.resolvedGraphBaseURL == "https://graph.microsoft.com/v1.0")
        #expect(real.resolvedPublicURL == "https://mail.example.com")
        #expect(real.allowedCallbackOrigins == ["https://app.example.com"])
    }

    @Test func elasticsearchIsChosenWithItsClusterAndCredentials() throws {
        let configuration = try self.configuration([
            "STORE": "elasticsearch", "ELASTICSEARCH_URL": "https://es.internal:9200/", "ELASTICSEARCH_USERNAME": "mailpulse",
            "ELASTICSEARCH_PASSWORD": "s3cret", "ELASTICSEARCH_INDEX_PREFIX": "mp-", "ELASTICSEARCH_REFRESH": "wait_for",
        ])
        #expect(configuration.store == .elasticsearch)
        #expect(configuration.elasticsearchURL == "https://es.internal:9200")
        #expect(configuration.elasticsearchIndexPrefix == "mp-")
        #expect(configuration.elasticsearchRefresh == .waitFor)

        let withoutURL = #expect(throws: ConfigurationError.self) { try self.configuration(["STORE": "elasticsearch"]) }
        #expect(withoutURL?.key == "ELASTICSEARCH_URL")
        let halfCredentials = #expect(throws: ConfigurationError.self) {
            try self.configuration(["ELASTICSEARCH_URL": "http://es:9200", "ELASTICSEARCH_USERNAME": "mailpulse"])
        }
        #expect(halfCredentials?.key == "ELASTICSEARCH_PASSWORD")
    }

    @Test(arguments: [
        ("HTTP_PORT", "eighty"), ("HTTP_PORT", "70000"), ("HTTP_MAX_BODY_BYTES", "12"), ("REDIS_URL", "localhost:6379"),
        ("STORE", "postgres"), ("LOG_LEVEL", "loud"), ("PUBLIC_URL", "ftp://files"), ("IDENTITY_BASE_URL", "login"),
        ("ALLOWED_CALLBACK_ORIGINS", "https://ok.example, nope"), ("TOKEN_REFRESH_MARGIN_SECONDS", "-1"),
        ("ELASTICSEARCH_URL", "es:9200"), ("ELASTICSEARCH_REFRESH", "true"),
    ])
    func badValuesStopTheStartNamingTheirKey(_ name: String, _ value: String) {
        let error = #expect(throws: ConfigurationError.self) { try self.configuration([name: value]) }
        #expect(error?.key == name)
        #expect(error?.description.contains(name) == true)
    }
}
