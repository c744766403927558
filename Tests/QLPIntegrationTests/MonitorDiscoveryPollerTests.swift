import Foundation
import QLPAzure
import QLPCore
import QLPDashboard
import QLPEmulator
import QLPHTTP
import Testing

@testable import QLPFeed

/// azure.monitor.discover against the emulator: its resource group's listing
/// (two pages) becomes every resource's default metrics, which it answers.
@Suite struct MonitorDiscoveryPollerTests {
    @Test func discoveredResourcesAreReadWithTheirDefaultMetricsAndTheConfigWins() async throws {
        try await withHarness { h in
            let subscription = h.emulator.configuration.subscriptionID
            let redis = try #require(h.emulator.configuration.resources.first { $0.type == "Microsoft.Cache/Redis" })
            let configured = MonitorSettings.Resource(
                name: "Redis (configured)", id: redis.id(subscriptionID: subscription),
                metrics: ["serverLoad"])
            let identity = DashboardIdentity(
                subscriptionID: subscription, resourceGroup: "quantumlayer-prod", isDemo: true, configPath: nil,
                logFile: "/dev/null")
            let store = DashboardStateStore(
                DashboardState(identity: identity, plan: try EmulatorHarness.examplePlan(), costRefresh: .seconds(60)))
            var poller = MetricsPoller(
                client: MonitorMetricsClient(transport: h.transport, tokens: h.tokens, management: h.base),
                resources: [configured], region: "uksouth",
                endpoints: AzureEndpoints(authority: h.base, management: h.base, metricsBatch: h.base),
                store: store, interval: .seconds(60), wake: WakeSignal(), clock: { EmulatorHarness.clock },
                discovery: MonitorDiscoveryScope(subscriptionID: subscription, resourceGroup: "quantumlayer-prod"))
            var listing = DiscoverySchedule()
            let merged = try await poller.discover(&listing).get()
            #expect(listing.nextListing == EmulatorHarness.clock.addingTimeInterval(3600))
            let count = h.emulator.configuration.resources.count
            #expect(merged.count == count, "every emulated resource is of a known type; Redis once")
            #expect(merged.first == configured)
            #expect(merged.filter { $0.id.lowercased() == configured.id.lowercased() }.count == 1)
            poller.resources = merged
            await poller.refresh()
            let panel = try #require(store.state.monitor.value)
            #expect(panel.failedResources.isEmpty, "\(panel.failedResources)")
            #expect(panel.rows.count == 1 + 2 * (count - 1))
            #expect(panel.rows.allSatisfy { $0.failure == nil && $0.latest != nil }, "\(panel.rows.filter { $0.failure != nil })")
            #expect(panel.rows.contains { $0.resource == "qlp-openai" && $0.metric == "TotalErrors" })
        }
    }

    @Test func aGroupWithNothingInItFailsTheListingAndItIsAskedAgainSooner() async throws {
        try await withHarness { h in
            let subscription = h.emulator.configuration.subscriptionID
            let identity = DashboardIdentity(
                subscriptionID: subscription, resourceGroup: "nowhere", isDemo: true, configPath: nil, logFile: "/dev/null")
            let store = DashboardStateStore(
                DashboardState(identity: identity, plan: try EmulatorHarness.examplePlan(), costRefresh: .seconds(60)))
            let poller = MetricsPoller(
                client: MonitorMetricsClient(transport: h.transport, tokens: h.tokens, management: h.base),
                resources: [], store: store, interval: .seconds(60), wake: WakeSignal(), clock: { EmulatorHarness.clock },
                discovery: MonitorDiscoveryScope(subscriptionID: subscription, resourceGroup: "nowhere"))
            var listing = DiscoverySchedule()
            let result = await poller.discover(&listing)
            guard case .failure(.http(_, _, 404, .some("ResourceGroupNotFound"), _, _)) = result else {
                Issue.record("expected ResourceGroupNotFound, got \(result)")
                return
            }
            #expect(listing.nextListing == EmulatorHarness.clock.addingTimeInterval(300))
        }
    }
}

/// The hourly listing's schedule, on a fake clock.
@Suite struct DiscoveryScheduleTests {
    @Test func dueAtStartThenHourlyAndSoonerAfterAFailure() {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        var schedule = DiscoverySchedule()
        #expect(schedule.isDue(at: t0))
        schedule.listed(at: t0)
        #expect(!schedule.isDue(at: t0.addingTimeInterval(3599)))
        #expect(schedule.isDue(at: t0.addingTimeInterval(3600)))
        schedule.failed(at: t0.addingTimeInterval(3600))
        #expect(!schedule.isDue(at: t0.addingTimeInterval(3600 + 299)))
        #expect(schedule.isDue(at: t0.addingTimeInterval(3600 + 300)))
        schedule.listed(at: t0.addingTimeInterval(3900))
        #expect(schedule.nextListing == t0.addingTimeInterval(7500))
    }
}
