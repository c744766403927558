// swift-tools-version:6.2
// qlp: the QuantumLayer Platform operations console.
//
// Layers point one way: system libraries and pure core at the bottom, I/O
// adapters above them, the dashboard above those, the `qlp` executable on top.

import PackageDescription

/// Every target builds in Swift 6 language mode with strict concurrency.
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "qlp",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "qlp", targets: ["qlp"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // NIOHTTPTypes: the HTTP parts a handler in Hummingbird's connection pipeline sees.
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.34.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-atomics", from: "1.3.0"),
        // rediss:// (Azure Cache for Redis on 6380).
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.0"),
        // The Azure CLI credential runs `az` with it (process group, deadline, output cap). Pinned: 1.x is
        // young and its teardown is what the deadline relies on. Default traits off: SubprocessFoundation
        // only adds Data/URL overloads, which qlp does not use.
        .package(url: "https://github.com/swiftlang/swift-subprocess", exact: "1.0.2", traits: []),
    ],
    targets: [
        // C libraries from Debian, reached through small shim headers.
        // No pkgConfig: its -D flags are dropped by SwiftPM anyway (shim.h defines them).
        .systemLibrary(
            name: "CNcursesw", path: "Sources/CNcursesw",
            providers: [.apt(["libncursesw5-dev"])]),
        .systemLibrary(
            name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),

        // Pure domain: money, calendar days, budget math, cost categories, config model.
        .target(name: "QLPCore", swiftSettings: strictSettings),
        // YAML config files: lookup, ${ENV} substitution, validation with file:line:key errors.
        .target(name: "QLPConfig", dependencies: ["QLPCore", "Yams"], swiftSettings: strictSettings),
        // The finance report: periods, cost export import, the report model and its renderers.
        .target(name: "QLPReport", dependencies: ["QLPCore", "QLPCanvas"], swiftSettings: strictSettings),
        // Outbound HTTP on libcurl's multi interface.
        // and HTTP/1.1 on SwiftNIO's event loops (the gateway's upstream calls, on the client connection's loop).
        .target(
            name: "QLPHTTP",
            dependencies: [
                "CCurl", .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings),
        // Azure wire formats and clients (Entra ID tokens, Cost Management).
        // Crypto and _CryptoExtras: a certificate credential signs its client assertion (RS256, SHA-1 thumbprint).
        .target(
            name: "QLPAzure",
            dependencies: [
                "QLPCore", "QLPHTTP",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                // BoundedSubprocess: `az account get-access-token` under a deadline.
                .product(name: "Subprocess", package: "swift-subprocess"),
            ], swiftSettings: strictSettings),
        // The loopback emulator of Azure's APIs used by demo, tests and benchmarks.
        // QLPStore: the demo's usage ledger is filled from the emulated traffic history.
        .target(
            name: "QLPEmulator",
            dependencies: [
                "QLPCore", "QLPStore",
                // The token endpoint checks a certificate credential's signed assertion.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: strictSettings),
        // The routing engine: route tables, policies, breakers, budget rules. Pure and deterministic.
        .target(name: "QLPRouting", dependencies: ["QLPCore"], swiftSettings: strictSettings),
        // Local persistence (SQLite through GRDB, WAL): cost history, route tables and their audit log.
        .target(
            name: "QLPStore", dependencies: ["QLPCore", "QLPRouting", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings),
        // The OpenAI-compatible gateway and its admin API (Hummingbird in, libcurl out through QLPHTTP).
        .target(
            name: "QLPGateway",
            dependencies: [
                "QLPCore", "QLPRouting", "QLPStore", "QLPHTTP",
                // TerminalSafeText: the admin API refuses what the printed-line sanitiser would change.
                "QLPCanvas",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: strictSettings),
        // A fleet of gateway replicas: the route table shared on Redis.
        .target(
            name: "QLPFleet",
            dependencies: [
                "QLPCore", "QLPRouting", "QLPStore", "QLPGateway", "QLPRedis",
                .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: strictSettings),
        // The feed: the pollers of Azure and Atlas, what they read as typed snapshots, and the alerts
        // computed from it. No screen here: the dashboard subscribes, and so does a headless gateway.
        .target(
            name: "QLPFeed",
            dependencies: [
                "QLPCore", "QLPAzure", "QLPStore", .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: strictSettings),
        // The gateway coupled to the feed: budget rules fired from spend, the gateway's traffic and health
        // as alerts. What `qlp gateway` runs headless; it cannot name a dashboard type (no dependency on one).
        .target(
            name: "QLPGatewayFeed",
            dependencies: [
                "QLPCore", "QLPFeed", "QLPGateway", "QLPRouting", "QLPAzure", "QLPHTTP", "QLPStore",
                .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: strictSettings),
        // Alert notifications: payloads for webhook, Slack, Teams and email, the delivery
        // schedule, and the notifier that sends what the outbox (QLPStore) holds.
        .target(
            name: "QLPNotify",
            dependencies: [
                "QLPCore", "QLPHTTP", "QLPStore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: strictSettings),
        // A small Redis client (RESP over SwiftNIO, TLS with NIOSSL): commands pipelined on one
        // connection, scripts, pub/sub with reconnects. For the fleet's shared route store.
        .target(
            name: "QLPRedis",
            dependencies: [
                "QLPCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: strictSettings),
        // The process's signals (SIGINT, SIGTERM, SIGHUP, SIGTSTP) as flags and callbacks: shared by
        // the dashboard, the headless gateway and the emulator, so none needs the other's layer.
        .target(name: "QLPProcess", swiftSettings: strictSettings),
        // The cell grid that views draw into, and the widgets; no terminal here.
        .target(name: "QLPCanvas", swiftSettings: strictSettings),
        // The one place that talks to ncurses.
        .target(name: "QLPTerminal", dependencies: ["CNcursesw", "QLPCanvas"], swiftSettings: strictSettings),
        // App state, pollers, views and the run loop.
        .target(
            name: "QLPDashboard",
            dependencies: [
                "QLPCore", "QLPCanvas", "QLPTerminal", "QLPAzure", "QLPStore", "QLPReport", "QLPRouting", "QLPFeed", "QLPProcess",
                .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: strictSettings),
        .executableTarget(
            name: "qlp",
            dependencies: [
                "QLPCore", "QLPConfig", "QLPHTTP", "QLPAzure", "QLPEmulator", "QLPStore", "QLPDashboard", "QLPTerminal", "QLPReport",
                "QLPCanvas",
                "QLPRouting", "QLPGateway", "QLPFeed", "QLPGatewayFeed", "QLPNotify", "QLPProcess", "QLPFleet",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The example config and the dashboard themes, compiled in (Resources/qlp.yaml links to
            // config/qlp.yaml, Resources/themes/* to themes/*), so the binary needs neither at run time.
            resources: [
                .embedInCode("Resources/qlp.yaml"),
                .embedInCode("Resources/themes/default-dark.theme"),
                .embedInCode("Resources/themes/light.theme"),
                .embedInCode("Resources/themes/high-contrast.theme"),
                .embedInCode("Resources/themes/solarized.theme"),
                .embedInCode("Resources/themes/mono.theme"),
            ],
            swiftSettings: strictSettings),

        // The parsers of bytes from outside as fuzz targets: libFuzzer drives them through
        // scripts/fuzz (Fuzz/LibFuzzerEntry.swift), QLPFuzzTests replays the committed corpora.
        .target(
            name: "QLPFuzz", dependencies: ["QLPAzure", "QLPConfig", "QLPCore", "QLPGateway", "QLPReport"],
            swiftSettings: strictSettings),

        // `swift run -c release report-benchmark`: the report at a year x 500 resources.
        .executableTarget(
            name: "report-benchmark", dependencies: ["QLPReport", "QLPCore"], path: "Benchmarks/ReportBenchmark",
            swiftSettings: strictSettings),

        // `swift run -c release azure-poll-benchmark`: a poll cycle of 1,000 metric series and a 10-page cost query.
        .executableTarget(
            name: "azure-poll-benchmark", dependencies: ["QLPEmulator", "QLPAzure", "QLPHTTP", "QLPCore"],
            path: "Benchmarks/AzurePollBenchmark", swiftSettings: strictSettings),

        // `swift run -c release usage-ledger-benchmark [rate] [seconds]`: the ledger's cost on the hot path (issue 13).
        .executableTarget(
            name: "usage-ledger-benchmark",
            dependencies: [
                "QLPGateway", "QLPStore", "QLPRouting", "QLPHTTP", "QLPCore", .product(name: "Hummingbird", package: "hummingbird"),
            ], path: "Benchmarks/UsageLedgerBenchmark", swiftSettings: strictSettings),

        // Fixtures that more than one test target starts (a redis-server of its own); used only by tests.
        .target(name: "QLPTestSupport", swiftSettings: strictSettings),

        .testTarget(name: "QLPCoreTests", dependencies: ["QLPCore"], swiftSettings: strictSettings),
        .testTarget(name: "QLPRoutingTests", dependencies: ["QLPRouting", "QLPCore", "QLPTestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "QLPGatewayTests",
            dependencies: [
                "QLPGateway", "QLPGatewayFeed", "QLPFeed", "QLPRouting", "QLPStore", "QLPEmulator", "QLPHTTP", "QLPCore", "QLPConfig",
                "QLPAzure", "QLPTestSupport",
                // StartupCodeRelease, which `qlp gateway` calls once it listens.
                "QLPProcess",
                // The listener's connection pipeline, driven without sockets.
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                // A listener on an event loop of its own, held by the test (ListenerAcceptBatchTests).
                .product(name: "NIOPosix", package: "swift-nio"),
                // An https stub upstream for the event loop client's TLS (UpstreamTLSTests).
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ], swiftSettings: strictSettings),
        .testTarget(
            name: "QLPReportTests", dependencies: ["QLPReport", "QLPCore"], exclude: ["Fixtures"],
            swiftSettings: strictSettings),
        .testTarget(name: "QLPStoreTests", dependencies: ["QLPStore", "QLPCore"], swiftSettings: strictSettings),
        .testTarget(
            name: "QLPNotifyTests",
            dependencies: [
                "QLPNotify", "QLPStore", "QLPHTTP", "QLPCore", "QLPTestSupport",
                // A webhook receiver on loopback, for the libcurl path.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        .testTarget(name: "QLPConfigTests", dependencies: ["QLPConfig", "QLPCore", "Yams"], swiftSettings: strictSettings),
        .testTarget(name: "QLPCanvasTests", dependencies: ["QLPCanvas"], swiftSettings: strictSettings),
        .testTarget(name: "QLPTerminalTests", dependencies: ["QLPTerminal", "QLPCanvas", "CNcursesw"], swiftSettings: strictSettings),
        .testTarget(
            name: "QLPAzureTests", dependencies: ["QLPAzure", "QLPCore", "QLPTestSupport"], exclude: ["Fixtures"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "QLPDashboardTests", dependencies: ["QLPDashboard", "QLPFeed", "QLPCanvas", "QLPCore", "QLPStore", "QLPAzure"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "QLPIntegrationTests",
            dependencies: [
                "QLPHTTP", "QLPAzure", "QLPEmulator", "QLPCore", "QLPConfig", "QLPDashboard", "QLPFeed", "QLPCanvas", "QLPReport",
                "QLPNotify", "QLPStore", "QLPTestSupport",
            ],
            // The loopback SMTP server the mail tests run with Python (aiosmtpd).
            exclude: ["Support/smtp_receiver.py"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "QLPFleetTests",
            dependencies: [
                "QLPFleet", "QLPGateway", "QLPRedis", "QLPStore", "QLPRouting", "QLPCore", "QLPTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: strictSettings),
        .testTarget(
            name: "QLPRedisTests",
            dependencies: [
                "QLPRedis", "QLPTestSupport", "QLPCore",
                .product(name: "NIOCore", package: "swift-nio"),
            ], swiftSettings: strictSettings),
        .testTarget(name: "QLPFuzzTests", dependencies: ["QLPFuzz"], swiftSettings: strictSettings),
        // Depends on the executable so that `swift test` builds the binary it runs.
        .testTarget(
            name: "QLPEndToEndTests",
            dependencies: ["qlp", "QLPHTTP", "QLPStore", "QLPDashboard", "QLPFeed", "QLPEmulator", "QLPCore", "QLPTestSupport"],
            // The loopback webhook receiver the notification tests run with Python.
            exclude: ["Support/webhook_receiver.py"],
            swiftSettings: strictSettings),
    ]
)
