import Foundation
import QLPAzure
import QLPCore
import QLPDashboard
import QLPEmulator
import QLPHTTP
import QLPReport
import Testing

@testable import QLPFeed

/// The finance report and the dashboard read the same emulator through
/// different queries (per service, and per service and resource group) and
/// must agree to the penny for the same day.
@Suite struct ReportAgreesWithDashboardTests {
    @Test func weeklyReportMatchesTheDashboardAsOfMondayMorning() async throws {
        // Monday 23 November 2026, 00:00 UTC (GMT in London): nothing of today yet.
        let monday = CivilDate(year: 2026, month: 11, day: 23)!.startInstant(in: TimeZone(identifier: "UTC")!)
        let configuration = EmulatorConfiguration(
            world: CostWorld(seed: 42, firstDay: EmulatorHarness.firstDay), costPageSize: 300,
            clock: { monday })
        let emulator = AzureEmulator(configuration: configuration)
        let base = try await emulator.start()
        let transport = CurlTransport()
        defer { transport.shutdown() }
        do {
            let tokens = TokenCache(
                source: ClientSecretCredential(
                    authority: base, tenantID: configuration.tenantID,
                    clientID: configuration.clientID,
                    clientSecret: Secret(configuration.clientSecret),
                    transport: transport, clock: { monday }),
                clock: { monday })
            let client = CostManagementClient(
                transport: transport, tokens: tokens, management: base,
                tokenScope: AzureEndpoints.publicCloud.managementScope)
            let scope = "subscriptions/\(configuration.subscriptionID)"
            let plan = try EmulatorHarness.examplePlan()

            // The dashboard, as its poller fills it.
            let identity = DashboardIdentity(
                subscriptionID: configuration.subscriptionID, resourceGroup: "rg", isDemo: true,
                configPath: nil, logFile: "/dev/null")
            let store = DashboardStateStore(DashboardState(identity: identity, plan: plan, costRefresh: .seconds(60)))
            try await CostPoller(
                client: client, scope: scope, store: store, history: nil, interval: .seconds(60), wake: WakeSignal(),
                clock: { monday }
            ).refresh()
            let dashboard = try #require(store.state.cost.value?.overview)

            // The report for the week that ended on Sunday.
            let today = CivilDate(monday, in: TimeZone(identifier: plan.billingTimeZone)!)
            let builder = FinanceReportBuilder(plan: plan, period: .week(ISOWeek(year: 2026, week: 47)!), today: today)
            let input = try await CostManagementReportSource(client: client, scope: scope).input(plan: plan, builder: builder)
            let report = try builder.build(input)

            #expect(report.asOf == dashboard.today)
            #expect(report.creditTotal.used == dashboard.credit.spent)
            #expect(report.creditTotal.used.rounded(scale: 2) == dashboard.credit.spent.rounded(scale: 2))
            #expect(report.creditTotal.burnRate == dashboard.credit.burnRate?.perDay)
            for (line, entry) in zip(report.credits, dashboard.categories) {
                #expect(line.key == entry.category.key)
                #expect(line.used == entry.position.spent, "\(line.label)")
                #expect(line.remaining == entry.position.remaining)
                #expect(line.exhaustion == entry.position.exhaustion)
            }
            #expect(report.unmapped == dashboard.unmapped.spent)
            #expect(report.monthly.spentToDate == dashboard.monthly.spentToDate)
            #expect(report.monthly.linearProjection == dashboard.monthly.projection)
            // The report's own breakdowns add up to the same week.
            let weekSpend =
                dashboard.credit.spent
                - BudgetOverview(
                    plan: plan, costs: store.state.cost.value!.costs.filter { $0.day < CivilDate(year: 2026, month: 11, day: 16)! },
                    today: CivilDate(year: 2026, month: 11, day: 16)!
                ).credit.spent
            #expect(report.services.currentTotal == weekSpend)
            #expect(report.resourceGroups?.currentTotal == weekSpend)
            #expect(report.tags?.currentTotal == weekSpend)
            #expect(report.tags?.lines.last?.name == "Untagged")
        } catch {
            await emulator.stop()
            throw error
        }
        await emulator.stop()
    }
}
