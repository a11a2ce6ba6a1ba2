// swift-tools-version:6.2

import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "mailpulse",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mailpulse", targets: ["mailpulse"]),
        .executable(name: "graph-sim", targets: ["graph-sim"]),
        .library(name: "MailpulseCore", targets: ["MailpulseCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CHiredis",
            providers: [.apt(["libhiredis-dev"]), .brew(["hiredis"])]
        ),
        .target(
            name: "Redis",
            dependencies: [
                "CHiredis",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "HTTPTransport",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "MailTransport",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "MIME",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "IMAP",
            dependencies: [
                "MailTransport",
                "MIME",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SMTP",
            dependencies: [
                "MailTransport",
                "MIME",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GraphSimulator",
            dependencies: [
                "HTTPTransport",
                "MIME",
                "MicrosoftGraph",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "graph-sim",
            dependencies: [
                "GraphSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "MicrosoftGraph",
            dependencies: ["HTTPTransport", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "IMAPProvider",
            dependencies: ["HTTPTransport", "IMAP", "MIME", "MailpulseCore", "SMTP"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "OutlookProvider",
            dependencies: ["MailpulseCore", "MicrosoftGraph"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "MailpulseCore",
            dependencies: ["MIME", .product(name: "Metrics", package: "swift-metrics")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SQLiteStore",
            dependencies: [
                "MailpulseCore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ElasticsearchStore",
            dependencies: ["MailpulseCore", "HTTPTransport"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RedisBackplane",
            dependencies: ["MailpulseCore", "Redis", "Secrets", .product(name: "Metrics", package: "swift-metrics")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Secrets",
            dependencies: [
                "MailpulseCore",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SyncEngine",
            dependencies: [
                "MailpulseCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "MailpulseServer",
            dependencies: [
                "ElasticsearchStore",
                "HTTPTransport",
                "IMAPProvider",
                "MIME",
                "MailTransport",
                "MailpulseCore",
                "MicrosoftGraph",
                "OutlookProvider",
                "Redis",
                "RedisBackplane",
                "Secrets",
                "SQLiteStore",
                "SyncEngine",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "mailpulse",
            dependencies: [
                "MailpulseCore",
                "MailpulseServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "mailpulse-bench",
            dependencies: [
                "GraphSimulator",
                "HTTPTransport",
                "MailpulseCore",
                "MailpulseServer",
                "RedisBackplane",
                "SQLiteStore",
                "TestSupport",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TestSupport",
            dependencies: [
                "Redis",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RedisTests",
            dependencies: ["Redis", "RedisBackplane", "MailpulseCore", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IMAPTests",
            dependencies: ["IMAP", "MIME", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MIMETests",
            dependencies: ["MIME", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SMTPTests",
            dependencies: ["IMAP", "MIME", "SMTP", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IMAPProviderTests",
            dependencies: ["IMAP", "IMAPProvider", "MailpulseCore", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SyncEngineTests",
            dependencies: ["MailpulseCore", "Secrets", "SyncEngine", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MailStoreTests",
            dependencies: [
                "ElasticsearchStore", "HTTPTransport", "MailpulseCore", "SQLiteStore", "Secrets", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ElasticsearchStoreTests",
            dependencies: ["ElasticsearchStore", "HTTPTransport", "MailpulseCore"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GraphSimulatorTests",
            dependencies: [
                "GraphSimulator",
                "HTTPTransport",
                "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MicrosoftGraphTests",
            dependencies: [
                "GraphSimulator",
                "HTTPTransport",
                "MicrosoftGraph",
                "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MailpulseServerTests",
            dependencies: [
                "ElasticsearchStore",
                "GraphSimulator",
                "HTTPTransport",
                "MailpulseCore",
                "MailpulseServer",
                "MicrosoftGraph",
                "OutlookProvider",
                "RedisBackplane",
                "SQLiteStore",
                "Secrets",
                "Redis",
                "SyncEngine",
                "TestSupport",
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
