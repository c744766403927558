import Foundation
import QLPAzure
import QLPCanvas
import QLPCore
import QLPDashboard
import QLPEmulator
import QLPHTTP
import Testing

@testable import QLPFeed

/// Azure's own budget and forecast beside qlp's figures, over the emulator.
@Suite struct AzureBudgetTests {
    @Test func azuresCurrentSpendEqualsQlpsSumOfQueryRowsAndTheBudgetViewShowsBoth() async throws {
        try await withHarness(pageSize: 300) { h in
            let plan = try EmulatorHarness.examplePlan()
            let identity = DashboardIdentity(
                subscriptionID: h.emulator.configuration.subscriptionID, resourceGroup: "rg",
                isDemo: true, configPath: nil, logFile: "/dev/null")
            let store = DashboardStateStore(DashboardState(identity: identity, plan: plan, costRefresh: .seconds(60)))
            try await CostPoller(
                client: h.client, scope: h.scope, store: store, history: nil, interval: .seconds(60),
                wake: WakeSignal(), clock: { EmulatorHarness.clock }
            ).refresh()
            let budgets = BudgetsClient(
                transport: h.transport, tokens: h.tokens, management: h.base,
                tokenScope: AzureEndpoints.publicCloud.managementScope)
            let budgetPoller = AzureBudgetPoller(
                budgets: budgets, costs: h.client, scope: h.scope, store: store, interval: .seconds(60),
                wake: WakeSignal(), clock: { EmulatorHarness.clock })
            var schedule = budgetPoller.startingSchedule
            _ = await budgetPoller.refreshRecordingFailure(schedule: &schedule)
            #expect(schedule.failures == 0)

            let qlp = try #require(store.state.cost.value?.overview.monthly)
            let azure = try #require(store.state.azureBudgets.value)
            let budget = try #require(azure.budgets.first)
            #expect(budget.name == "quantumlayer-monthly")
            #expect(budget.properties.amount == 1000)
            let current = try #require(budget.properties.currentSpend?.amount)
            #expect(current == qlp.spentToDate, "Azure \(current) vs qlp \(qlp.spentToDate)")
            #expect(current.rounded(scale: 2) == qlp.spentToDate.rounded(scale: 2))
            #expect(budget.properties.notifications.count == 3)
            #expect(budget.properties.notifications.values.contains { $0.thresholdType == "Forecasted" })
            // Azure's forecast: actual to yesterday, its model from today; the budget quotes the same total.
            let forecast = try #require(azure.forecast)
            #expect(forecast.actual + forecast.forecast == forecast.total)
            #expect(budget.properties.forecastSpend?.amount == forecast.total)
            #expect(forecast.actual < qlp.spentToDate, "the actual part stops before today's partial day")

            let canvas = DashboardScreen(state: store.state, view: .budget).render(
                size: Size(width: 80, height: 24),
                context: RenderContext(
                    glyphs: .unicode, format: DisplayFormat(timeZone: TimeZone(identifier: "UTC")!),
                    now: EmulatorHarness.clock))
            let money = MoneyFormat.standard.string(qlp.spentToDate, currency: .gbp)
            let line = try #require(canvas.lines.first { $0.contains("Month to date") })
            #expect(line.components(separatedBy: money).count == 3, "both sources show \(money): \(line)")
            #expect(line.contains("agrees"))
            #expect(canvas.text.contains("qlp (query rows)"))
            #expect(canvas.text.contains("Azure (budget, Azure forecast)"))
            #expect(canvas.text.contains(MoneyFormat.standard.string(forecast.total, currency: .gbp) + " Azure forecast"))
            #expect(canvas.text.contains("quantumlayer-monthly"))
        }
    }

    @Test func forecastRefusesGroupingAsAzureDoes() async throws {
        try await withHarness { h in
            let token = try await h.tokens.token(for: AzureEndpoints.publicCloud.managementScope)
            let response = try await h.transport.send(
                .init(
                    method: .post, url: "\(h.base)/\(h.scope)/providers/Microsoft.CostManagement/forecast?api-version=2025-03-01",
                    headers: ["Authorization": "Bearer \(token.token.reveal())", "Content-Type": "application/json"],
                    body: Array(
                        #"{"type":"ActualCost","timeframe":"Custom","timePeriod":{"from":"2026-11-01","to":"2026-11-30"},"dataset":{"granularity":"Daily","grouping":[{"type":"Dimension","name":"ServiceName"}]}}"#
                            .utf8)))
            #expect(response.status == 400)
        }
    }
}
