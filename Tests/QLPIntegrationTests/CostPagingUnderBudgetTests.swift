import Foundation
import QLPAzure
import QLPCore
import QLPDashboard
import QLPEmulator
import QLPHTTP
import Synchronization
import Testing

@testable import QLPFeed

/// Issue 14, finding 3: a cost query that needs more pages than qlp's
/// per-minute budget completes, keeping the pages it has fetched, and the
/// panel says it is qlp's own budget that makes it wait.
@Suite struct CostPagingUnderBudgetTests {
    @Test func finding03_aQueryOfMorePagesThanTheBudgetCompletesAndKeepsItsPages() async throws {
        // A clock the test moves: every wait (the gate's and the poller's) moves it, so minutes take no real time.
        let now = Mutex(EmulatorHarness.clock)
        let clock: @Sendable () -> Date = { now.withLock { $0 } }
        let configuration = EmulatorConfiguration(
            world: CostWorld(seed: 42, firstDay: EmulatorHarness.firstDay), costPageSize: 40,
            clock: { EmulatorHarness.clock })
        let emulator = AzureEmulator(configuration: configuration)
        let base = try await emulator.start()
        let transport = CurlTransport()
        let store = try Self.store(subscription: configuration.subscriptionID)
        let shownWhileWaiting = Mutex<[String]>([])
        let sleep: @Sendable (Duration) async throws -> Void = { wait in
            if let problem = store.state.cost.problem, problem.throttledUntil != nil {
                shownWhileWaiting.withLock { $0.append(problem.throttleReason?.words(service: "Cost Management") ?? "no reason") }
            }
            now.withLock { $0 = $0.addingTimeInterval(Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18) }
        }
        // Five Cost Management requests a minute, and no silent wait inside the transport.
        let throttled = ThrottlingTransport(
            wrapping: transport,
            policy: ThrottlingPolicy(costManagementBudgetPerMinute: 5, maxBudgetWait: .zero),
            clock: clock, sleep: sleep)
        let credential = ClientSecretCredential(
            authority: base, tenantID: configuration.tenantID, clientID: configuration.clientID,
            clientSecret: Secret(configuration.clientSecret), transport: transport, clock: clock)
        let client = CostManagementClient(
            transport: throttled, tokens: TokenCache(source: credential, clock: clock), management: base,
            tokenScope: AzureEndpoints.publicCloud.managementScope)
        let poller = CostPoller(
            client: client, scope: "subscriptions/\(configuration.subscriptionID)", store: store, history: nil,
            interval: .seconds(300), wake: WakeSignal(), clock: clock, sleep: sleep)
        do {
            var schedule = poller.startingSchedule
            let next = await poller.refreshRecordingFailure(schedule: &schedule)
            #expect(next == .seconds(300), "the refresh did not complete: \(store.state.cost.problem?.detail ?? "")")
            let panel = try #require(store.state.cost.value)
            let pages = panel.pages
            #expect(pages >= 12, "the world is big enough for 12 pages of 40 rows: \(pages)")
            #expect(pages == (panel.costs.count + 39) / 40, "every row arrived once")
            // No page was asked for twice: the query went on from its nextLink after each wait.
            #expect(emulator.statistics.requests(to: .costQuery) == pages)
            #expect(store.state.cost.problem == nil)
            // At 5 a minute, 12 pages take at least two waits for the budget; the panel said whose budget.
            let shown = shownWhileWaiting.withLock { $0 }
            #expect(shown.count >= (pages - 1) / 5, "\(shown)")
            #expect(shown.allSatisfy { $0 == "qlp's own budget of 5 Cost Management requests a minute is spent" }, "\(shown)")
        } catch {
            transport.shutdown()
            await emulator.stop()
            throw error
        }
        transport.shutdown()
        await emulator.stop()
    }

    static func store(subscription: String) throws -> DashboardStateStore {
        let plan = try EmulatorHarness.examplePlan()
        let identity = DashboardIdentity(
            subscriptionID: subscription, resourceGroup: "rg", isDemo: true, configPath: nil,
            logFile: "/dev/null")
        return DashboardStateStore(DashboardState(identity: identity, plan: plan, costRefresh: .seconds(300)))
    }
}
