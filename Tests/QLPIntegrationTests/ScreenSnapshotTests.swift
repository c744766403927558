import Foundation
import QLPAzure
import QLPCanvas
import QLPConfig
import QLPCore
import QLPDashboard
import QLPEmulator
import QLPHTTP
import QLPRouting
import Testing

@testable import QLPFeed

/// The captures in docs/screens are this test's expected output: every view
/// (and the Routing view's `?` help) at 80x24 and 200x50, drawn from the
/// emulator's seed-42 world read through the real pollers at a pinned clock,
/// in UTC, with fixed gateway figures (live traffic timing is not
/// reproducible). A capture that differs fails the test and is written beside
/// the committed one as NAME.new.txt, never over it; QLP_UPDATE_SCREENS=1
/// (what scripts/screens sets) writes the committed files instead.
@Suite(.serialized) struct ScreenSnapshotTests {
    static let clock = EmulatorHarness.clock
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/screens")
        .standardized
    static let views: [(key: Int, name: String, view: DashboardView)] = [
        (1, "overview", .overview), (2, "budget", .budget), (3, "models", .models), (4, "routing", .routing),
        (5, "monitor", .monitor), (6, "alerts", .alerts), (7, "audit", .audit), (8, "keys", .keys),
    ]
    static let sizes = [Size(width: 80, height: 24), Size(width: 200, height: 50)]

    @Test func everyViewMatchesItsCommittedCapture() async throws {
        let state = try await Self.demoState()
        let update = ProcessInfo.processInfo.environment["QLP_UPDATE_SCREENS"] == "1"
        var mismatched: [String] = []
        for (name, text) in Self.captures(state) {
            let committed = Self.directory.appendingPathComponent(name + ".txt")
            let beside = Self.directory.appendingPathComponent(name + ".new.txt")
            let expected = try? String(contentsOf: committed, encoding: .utf8)
            if update {
                try text.write(to: committed, atomically: true, encoding: .utf8)
                try? FileManager.default.removeItem(at: beside)
            } else if expected == text {
                try? FileManager.default.removeItem(at: beside)
            } else {
                try text.write(to: beside, atomically: true, encoding: .utf8)
                mismatched.append(name + Self.firstDifference(expected ?? "", text))
            }
        }
        #expect(
            mismatched.isEmpty,
            """
            \(mismatched.count) screen(s) differ from docs/screens; the new captures are written beside them as NAME.new.txt \
            (diff them; scripts/screens accepts them all):
            \(mismatched.joined(separator: "\n"))
            """)
    }

    /// "  (line 7: expected '…' got '…')": where a capture first differs.
    static func firstDifference(_ expected: String, _ actual: String) -> String {
        let a = expected.components(separatedBy: "\n")
        let b = actual.components(separatedBy: "\n")
        for n in 0..<max(a.count, b.count) where (n < a.count ? a[n] : nil) != (n < b.count ? b[n] : nil) {
            return "  (line \(n + 1): expected '\(n < a.count ? a[n] : "")' got '\(n < b.count ? b[n] : "")')"
        }
        return ""
    }

    /// Every capture by file name ("80x24-1-overview"), as text with a final newline.
    static func captures(_ state: DashboardState) -> [(String, String)] {
        let context = RenderContext(glyphs: .unicode, format: DisplayFormat(timeZone: TimeZone(identifier: "UTC")!), now: clock)
        var out: [(String, String)] = []
        for size in sizes {
            for (key, name, view) in views {
                var interaction = DashboardInteraction()
                _ = interaction.observe(state, now: clock)
                interaction.view = view
                out.append(
                    (
                        "\(size.width)x\(size.height)-\(key)-\(name)",
                        DashboardScreen(state: state, interaction: interaction).render(size: size, context: context).text + "\n"
                    ))
                if view == .routing {
                    interaction.showHelp = true
                    out.append(
                        (
                            "\(size.width)x\(size.height)-4-routing-help",
                            DashboardScreen(state: state, interaction: interaction).render(size: size, context: context).text + "\n"
                        ))
                }
            }
        }
        return out
    }

    /// What `qlp demo --seed 42` would show at the pinned clock: the emulator read by the real pollers.
    static func demoState() async throws -> DashboardState {
        let repository = directory.deletingLastPathComponent().deletingLastPathComponent()
        let configPath = repository.appendingPathComponent("config/qlp.yaml").path
        let configuration = try ConfigParser(environment: ["HOME": "/home/operator"], requireAzure: false)
            .parse(yaml: try String(contentsOfFile: configPath, encoding: .utf8), file: configPath)
        var plan = try EmulatorHarness.examplePlan()
        // As the demo does: Atlas in US dollars at the demo's rate, its credit from the first emulated day.
        if plan.exchangeRates["USD"] == nil { plan.exchangeRates["USD"] = Decimal(string: "0.79")! }
        if let atlas = plan.atlasCredits {
            let first = EmulatorHarness.firstDay
            plan.atlasCredits = CreditGrant(amount: atlas.amount, period: DayRange(first, first.adding(days: atlas.period.count - 1))!)
        }
        var state: DashboardState?
        try await withHarness(pageSize: 1000) { h in
            let identity = DashboardIdentity(
                subscriptionID: h.emulator.configuration.subscriptionID, resourceGroup: "quantumlayer-prod",
                isDemo: true, configPath: "config/qlp.yaml", logFile: "/home/operator/.local/state/qlp/qlp.log")
            var initial = DashboardState(identity: identity, plan: plan, costRefresh: .seconds(60))
            initial.atlasConfigured = true
            let store = DashboardStateStore(initial)
            let wake = WakeSignal()
            let clock: @Sendable () -> Date = { Self.clock }
            try await CostPoller(
                client: h.client, scope: h.scope, store: store, history: nil, interval: .seconds(60), wake: wake, clock: clock
            )
            .refresh()
            let budgets = BudgetsClient(
                transport: h.transport, tokens: h.tokens, management: h.base,
                tokenScope: AzureEndpoints.publicCloud.managementScope)
            let budgetPoller = AzureBudgetPoller(
                budgets: budgets, costs: h.client, scope: h.scope, store: store, interval: .seconds(60),
                wake: wake, clock: clock)
            var schedule = budgetPoller.startingSchedule
            _ = await budgetPoller.refreshRecordingFailure(schedule: &schedule)
            let c = h.emulator.configuration
            let atlas = AtlasBillingClient(
                transport: h.transport, baseURL: h.base, orgID: c.atlasOrgID, publicKey: c.atlasPublicKey,
                privateKey: Secret(c.atlasPrivateKey))
            let atlasPoller = AtlasPoller(client: atlas, store: store, interval: .seconds(60), wake: wake, clock: clock)
            var atlasSchedule = atlasPoller.startingSchedule
            await atlasPoller.refresh(schedule: &atlasSchedule)
            let reader = LogMetricReader(
                appInsights: AppInsightsClient(transport: h.transport, tokens: h.tokens, endpoint: h.base),
                logAnalytics: LogAnalyticsClient(transport: h.transport, tokens: h.tokens, endpoint: h.base))
            await MetricsPoller(
                client: MonitorMetricsClient(transport: h.transport, tokens: h.tokens, management: h.base),
                resources: monitorResources(h), logMetrics: logMetrics(h), logReader: reader, store: store,
                interval: .seconds(60), wake: wake, clock: clock
            ).refresh()
            state = store.state
        }
        var result = try #require(state)
        let table = RouteTable(
            settings: try #require(configuration.routing), azureOpenAI: configuration.azureOpenAI, ollama: configuration.ollama)
        gatewayFigures(&result, table: table)
        return result
    }

    /// The demo's Monitor resources: each emulated resource's first three metrics in its own namespace
    /// (without their regions, so every call stays on the emulator rather than a regional batch host).
    static func monitorResources(_ h: EmulatorHarness) -> [MonitorSettings.Resource] {
        let subscription = h.emulator.configuration.subscriptionID
        return h.emulator.configuration.resources.map { resource in
            MonitorSettings.Resource(
                name: resource.name, id: resource.id(subscriptionID: subscription),
                metrics: resource.metrics.filter { $0.namespace == nil }.prefix(3).map(\.name))
        }
    }

    /// The demo's logged metrics (the seed's custom metrics and request duration).
    static func logMetrics(_ h: EmulatorHarness) -> [MonitorSettings.LogMetric] {
        let c = h.emulator.configuration
        func custom(_ name: String, unit: String, _ aggregation: MonitorSettings.LogMetric.Aggregation) -> MonitorSettings.LogMetric {
            MonitorSettings.LogMetric(
                name: name, source: .appInsights(appID: c.appInsightsAppID),
                query: "customMetrics | where name == '\(name)' | project timestamp, value", unit: unit,
                aggregation: aggregation, grain: .seconds(900))
        }
        return [
            custom("ai_model_response_time", unit: "MilliSeconds", .average),
            custom("deployment_success_rate", unit: "Percent", .average),
            custom("projects_created_total", unit: "Count", .sum),
            MonitorSettings.LogMetric(
                name: "request duration", source: .logAnalytics(workspaceID: c.logAnalyticsWorkspaceID),
                query: "AppRequests | project TimeGenerated, DurationMs", unit: "MilliSeconds",
                aggregation: .average, grain: .seconds(600)),
        ]
    }

    /// Fixed gateway figures: the config's route table at version 3 after two audited changes, observed shares
    /// near the weights, per-target latencies, and three client keys (one over its daily budget).
    static func gatewayFigures(_ state: inout DashboardState, table: RouteTable) {
        state.routeControlConnected = true
        state.gatewayStatsConnected = true
        state.operatorName = "operator"
        var traffic: [String: ObservedTraffic] = [:]
        for (n, route) in table.routes.enumerated() {
            let total = Double(max(1, route.shares.map(\.weight).reduce(0, +)))
            // Observed a point or two off the weights, as a short window is.
            let shares = Dictionary(
                route.shares.enumerated().map { i, share in
                    (share.target, max(0, Double(share.weight) / total + (i % 2 == 0 ? 0.012 : -0.012)))
                }, uniquingKeysWith: +)
            traffic[route.name] = ObservedTraffic(shares: shares, requests: 150 + 37 * n, windowSeconds: 10)
        }
        let audit = [
            RouteAuditLine(
                at: clock.addingTimeInterval(-3600), actor: "alice", summary: "chat weights: gpt4 50→40, gpt35 30→40",
                outcome: .applied, fromVersion: 1, toVersion: 2),
            RouteAuditLine(
                at: clock.addingTimeInterval(-600), actor: "operator", summary: "drain llama3",
                outcome: .rejected(reason: "route code needs one live target"),
                fromVersion: 2, toVersion: 2),
        ]
        state.routing.succeed(RoutingPanel(table: table, traffic: traffic, audit: audit), at: clock)
        let stats = table.targets.enumerated().map { n, target in
            let base = Double(300 + 170 * n)
            return ModelTargetStats(
                target: target.name, backend: target.backend == .azureOpenAI ? "azure-openai" : "ollama", state: .ok, p50Milliseconds: base,
                p95Milliseconds: base * 2.1, p99Milliseconds: base * 3,
                recentLatency: (0..<24).map { Double(base) + Double(($0 * 37 + n * 11) % 90) },
                ttftMilliseconds: base / 3, tokensPerSecond: 90 - Double(n * 9), errorRate: n == 2 ? 0.012 : 0,
                breaker: .closed, observedShare: nil, lastProbe: clock.addingTimeInterval(-Double(5 + n)))
        }
        state.models.succeed(stats, at: clock)
        state.keysConnected = true
        state.keys.succeed(keys, at: clock)
    }

    static var keys: [KeyActivity] {
        let month = KeyBudget(amount: 200, period: .month)
        let utc = TimeZone(identifier: "UTC")!
        let monthEnd = CivilDate(year: 2026, month: 12, day: 1)!.startInstant(in: utc)
        return [
            KeyActivity(
                name: "web-frontend", origin: .store, state: .active,
                limits: KeyLimits(requestsPerMinute: 600, tokensPerMinute: 200_000, budget: month, routes: ["chat"]),
                expiresAt: nil, spent: Decimal(string: "168.42")!, periodResets: monthEnd, requests: 48_210, tokens: 9_650_000,
                requestsLastMinute: 412, tokensLastMinute: 81_300, refused: 0,
                topRoutes: [.init(route: "chat", requests: 48_210, cost: Decimal(string: "168.42")!)]),
            KeyActivity(
                name: "batch-embed", origin: .store, state: .active,
                limits: KeyLimits(requestsPerMinute: 120, budget: KeyBudget(amount: 5, period: .day), routes: ["embeddings"]),
                expiresAt: clock.addingTimeInterval(30 * 86_400), spent: Decimal(string: "5.03")!,
                periodResets: CivilDate(year: 2026, month: 11, day: 27)!.startInstant(in: utc), requests: 9_800, tokens: 2_400_000,
                requestsLastMinute: 0, tokensLastMinute: 0, refused: 212,
                topRoutes: [.init(route: "embeddings", requests: 9_800, cost: Decimal(string: "5.03")!)]),
            KeyActivity(
                name: "config-1", origin: .config, state: .active, limits: KeyLimits(), expiresAt: nil,
                spent: Decimal(string: "12.80")!, periodResets: monthEnd, requests: 1_530, tokens: 402_000,
                requestsLastMinute: 9, tokensLastMinute: 2_150, refused: 0,
                topRoutes: [
                    .init(route: "code", requests: 1_100, cost: Decimal(string: "9.90")!),
                    .init(route: "chat", requests: 430, cost: Decimal(string: "2.90")!),
                ]),
        ]
    }
}
